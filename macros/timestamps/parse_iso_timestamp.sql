{% macro iso_timestamp_pattern() %}
    {#- ISO-8601 accepted in raw data: date, optional time (minutes, seconds, fraction), optional
        Z or offset (+HH, +HHMM, +HH:MM). No backslashes, so the same literal works on every engine. -#}
    {{ return("^([0-9]{4}-[0-9]{2}-[0-9]{2})(?:[T ]([0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:[.][0-9]+)?)?)(Z|[+-][0-9]{2}(?::?[0-9]{2})?)?)?$") }}
{% endmacro %}

{% macro parse_iso_timestamp(expression) %}
    {#- Parse an ISO-8601 text into a naive UTC timestamp; null when it cannot be parsed. -#}
    {{ return(adapter.dispatch('parse_iso_timestamp', 'lead_scoring')(expression)) }}
{% endmacro %}

{% macro default__parse_iso_timestamp(expression) %}
    {%- set pattern = lead_scoring.iso_timestamp_pattern() -%}
    {%- set text = "trim(" ~ expression ~ ")" -%}
    {%- set offset = "regexp_extract(" ~ text ~ ", '" ~ pattern ~ "', 3)" -%}
    {%- set local_timestamp -%}
        {{ dbt.safe_cast(
            "concat(regexp_extract(" ~ text ~ ", '" ~ pattern ~ "', 1), ' ', "
            ~ "coalesce(nullif(regexp_extract(" ~ text ~ ", '" ~ pattern ~ "', 2), ''), '00:00:00'))",
            dbt.type_timestamp()) }}
    {%- endset -%}
    {%- set offset_minutes -%}
        case
            when {{ offset }} in ('', 'Z') then 0
            else (case when substr({{ offset }}, 1, 1) = '-' then -1 else 1 end)
                * (cast(substr({{ offset }}, 2, 2) as integer) * 60
                    + coalesce(cast(nullif(substr(replace({{ offset }}, ':', ''), 4, 2), '') as integer), 0))
        end
    {%- endset -%}
    {{ dbt.dateadd('minute', '-1 * (' ~ offset_minutes ~ ')', local_timestamp) }}
{% endmacro %}
