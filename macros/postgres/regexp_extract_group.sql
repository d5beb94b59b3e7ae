{% macro postgres__regexp_extract_group(expression, pattern, group) %}
    {#- Postgres has no regexp_extract: regexp_match returns the groups as an array, or null when
        there is no match; '' then, as on DuckDB and Spark (null stays null). -#}
    coalesce(
        (regexp_match({{ expression }}, '{{ pattern }}'))[{{ group }}],
        case when {{ expression }} is not null then '' end
    )
{% endmacro %}
