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
    {%- set local_timestamp -%}
        {{ dbt.safe_cast(
            "concat(regexp_extract(" ~ text ~ ", '" ~ pattern ~ "', 1), ' ', "
            ~ "coalesce(nullif(regexp_extract(" ~ text ~ ", '" ~ pattern ~ "', 2), ''), '00:00:00'))",
            dbt.type_timestamp()) }}
    {%- endset -%}
    {{ dbt.dateadd('minute', '-1 * (' ~ lead_scoring.iso_offset_minutes(expression) ~ ')', local_timestamp) }}
{% endmacro %}

{% macro duckdb__parse_iso_timestamp(expression) %}
    {#- The default, with the pattern matched once per text instead of once per group: DuckDB's
        regexp_extract returns the named groups as one struct, and its optimizer evaluates the
        repeated struct expression once per row (a third of the time on the activities). -#}
    {%- set groups = "regexp_extract(trim(" ~ expression ~ "), '" ~ lead_scoring.iso_timestamp_pattern()
        ~ "', ['day', 'clock', 'zone'])" -%}
    {%- set local_timestamp -%}
        {{ dbt.safe_cast("concat(" ~ groups ~ ".day, ' ', coalesce(nullif(" ~ groups ~ ".clock, ''), '00:00:00'))",
            dbt.type_timestamp()) }}
    {%- endset -%}
    {{ dbt.dateadd('minute', '-1 * (' ~ lead_scoring.iso_offset_minutes(expression, zone=groups ~ '.zone') ~ ')',
        local_timestamp) }}
{% endmacro %}

{% macro spark__parse_iso_timestamp(expression) %}
    {#- The default, with two habits of Spark's text-to-timestamp cast made to agree with DuckDB:
        Spark reads a time with no date (' 00:00:00', what a text the pattern does not match
        leaves) as today at that time, and refuses the ISO-8601 end of day 24:00[:00[.000]],
        which DuckDB reads as midnight of the next day. -#}
    {%- set pattern = lead_scoring.iso_timestamp_pattern() -%}
    {%- set text = "trim(" ~ expression ~ ")" -%}
    {%- set date_part = "regexp_extract(" ~ text ~ ", '" ~ pattern ~ "', 1)" -%}
    {%- set time_part = "regexp_extract(" ~ text ~ ", '" ~ pattern ~ "', 2)" -%}
    {%- set local_timestamp -%}
        case
            when {{ date_part }} = '' then null
            when {{ time_part }} rlike '^24:00(:00([.]0+)?)?$'
                then {{ dbt.dateadd('day', 1, dbt.safe_cast(date_part, dbt.type_timestamp())) }}
            else {{ dbt.safe_cast(
                "concat(" ~ date_part ~ ", ' ', coalesce(nullif(" ~ time_part ~ ", ''), '00:00:00'))",
                dbt.type_timestamp()) }}
        end
    {%- endset -%}
    {{ dbt.dateadd('minute', '-1 * (' ~ lead_scoring.iso_offset_minutes(expression) ~ ')', local_timestamp) }}
{% endmacro %}

{% macro iso_offset_minutes(expression, zone=none) %}
    {#- The UTC offset an ISO-8601 text states, in minutes east of UTC (0 for Z or none); `zone` is
        the pattern's third group when the caller has it already. -#}
    {%- set offset = zone or "regexp_extract(trim(" ~ expression ~ "), '" ~ lead_scoring.iso_timestamp_pattern() ~ "', 3)" -%}
    {%- set offset_minutes -%}
        case
            when {{ offset }} in ('', 'Z') then 0
            else (case when substr({{ offset }}, 1, 1) = '-' then -1 else 1 end)
                * (cast(substr({{ offset }}, 2, 2) as integer) * 60
                    + coalesce(cast(nullif(substr(replace({{ offset }}, ':', ''), 4, 2), '') as integer), 0))
        end
    {%- endset -%}
    {{ return(offset_minutes) }}
{% endmacro %}
