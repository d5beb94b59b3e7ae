{% macro postgres__parse_iso_timestamp(expression) %}
    {#- default__parse_iso_timestamp with regexp_match (Postgres has no regexp_extract): the date,
        the time (midnight when absent) and the offset (none: UTC) of the ISO-8601 grammar;
        null when the text does not match it or names an impossible date or time (2026-02-30,
        25:00), through the null-on-error safe_cast. Three habits of Postgres's text-to-timestamp
        cast are made to agree with DuckDB: it rounds fractions beyond microseconds (DuckDB
        truncates them), reads second 60 as the next minute (DuckDB refuses it), and refuses
        year 0000 (DuckDB reads it as 1 BC, the year before 0001). -#}
    {%- set groups = "regexp_match(trim(" ~ expression ~ "), '" ~ lead_scoring.iso_timestamp_pattern() ~ "')" -%}
    {%- set date_part = "(" ~ groups ~ ")[1]" -%}
    {%- set time_part = "coalesce((" ~ groups ~ ")[2], '00:00:00')" -%}
    {%- set offset = "coalesce((" ~ groups ~ ")[3], 'Z')" -%}
    {%- set time_in_microseconds = "regexp_replace(" ~ time_part ~ ", '([.][0-9]{6})[0-9]+$', '\\1')" -%}
    {%- set local_text -%}
        case
            when {{ time_part }} ~ '^[0-9]{2}:[0-9]{2}:60' then null
            when {{ date_part }} like '0000-%'
                then '0001' || substr({{ date_part }}, 5) || ' ' || {{ time_in_microseconds }} || ' BC'
            else {{ date_part }} || ' ' || {{ time_in_microseconds }}
        end
    {%- endset -%}
    {%- set offset_minutes -%}
        case
            when {{ offset }} = 'Z' then 0
            else (case when substr({{ offset }}, 1, 1) = '-' then -1 else 1 end)
                * (cast(substr({{ offset }}, 2, 2) as integer) * 60
                    + coalesce(cast(nullif(substr(replace({{ offset }}, ':', ''), 4, 2), '') as integer), 0))
        end
    {%- endset -%}
    {{ dbt.dateadd('minute', '-1 * (' ~ offset_minutes ~ ')', dbt.safe_cast(local_text, dbt.type_timestamp())) }}
{% endmacro %}
