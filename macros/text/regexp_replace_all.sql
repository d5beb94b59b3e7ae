{% macro regexp_replace_all(expression, pattern, replacement) %}
    {#- Replace every match of a regular expression (DuckDB replaces only the first without 'g'). -#}
    {{ return(adapter.dispatch('regexp_replace_all', 'lead_scoring')(expression, pattern, replacement)) }}
{% endmacro %}

{% macro default__regexp_replace_all(expression, pattern, replacement) %}
    regexp_replace({{ expression }}, '{{ pattern }}', '{{ replacement }}')
{% endmacro %}

{% macro duckdb__regexp_replace_all(expression, pattern, replacement) %}
    regexp_replace({{ expression }}, '{{ pattern }}', '{{ replacement }}', 'g')
{% endmacro %}
