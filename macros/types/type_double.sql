{% macro type_double() %}
    {#- A 64-bit float on every engine (dbt.type_float() is 32-bit on DuckDB). -#}
    {{ return(adapter.dispatch('type_double', 'lead_scoring')()) }}
{% endmacro %}

{% macro default__type_double() %}double{% endmacro %}

{% macro postgres__type_double() %}double precision{% endmacro %}
