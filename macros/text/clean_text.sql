{% macro clean_text(expression) %}
    {#- Raw text trimmed, empty as null. -#}
    nullif(trim(cast({{ expression }} as {{ dbt.type_string() }})), '')
{% endmacro %}
