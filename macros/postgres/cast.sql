{#- Contracts on Postgres. The marts' YAML declares the type names DuckDB and Spark share
    (string, double, timestamp, bigint, int, boolean); Postgres has no `string` or `double`.
    dbt builds a contract's "empty schema" query with dbt.cast and the table's DDL with
    get_table_columns_and_constraints: these overrides (found first through the project's
    dispatch search order) translate the two names there, so contracts stay enforced on
    Postgres with the same YAML. -#}

{% macro postgres_data_type(data_type) %}
    {#- A contract data_type as Postgres spells it: string -> text, double -> double precision. -#}
    {%- set translated = {'string': 'text', 'double': 'double precision'} -%}
    {{ return(translated.get(data_type | lower | trim, data_type)) }}
{% endmacro %}

{% macro postgres__cast(field, type) %}
    cast({{ field }} as {{ lead_scoring.postgres_data_type(type) }})
{% endmacro %}
