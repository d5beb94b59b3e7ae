{#- Overrides of dbt's cross-database dbt.safe_cast (found first through the project's dispatch
    search order): a value that cannot be cast becomes null instead of failing the query. -#}

{% macro duckdb__safe_cast(field, type) %}
    try_cast({{ field }} as {{ type }})
{% endmacro %}

{% macro spark__safe_cast(field, type) %}
    try_cast({{ field }} as {{ type }})
{% endmacro %}
