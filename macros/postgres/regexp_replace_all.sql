{% macro postgres__regexp_replace_all(expression, pattern, replacement) %}
    {#- Postgres replaces only the first match without the 'g' flag. -#}
    regexp_replace({{ expression }}, '{{ pattern }}', '{{ replacement }}', 'g')
{% endmacro %}
