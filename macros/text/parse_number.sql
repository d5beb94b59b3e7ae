{% macro parse_number(expression) %}
    {#- Text as a double, null when it is not a number. -#}
    {{ dbt.safe_cast(expression, lead_scoring.type_double()) }}
{% endmacro %}
