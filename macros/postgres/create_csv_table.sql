{% macro postgres__create_csv_table(model, agate_table) %}
    {#- Override of dbt's seed table DDL on Postgres (found first through the project's dispatch
        search order): dbt's default__create_csv_table with each `column_types` entry as Postgres
        spells it (postgres_data_type: the seeds declare `string` and `double`, which DuckDB and
        Spark accept and Postgres does not). -#}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set quote_seed_column = model['config'].get('quote_columns', None) -%}
    {%- set sql -%}
        create table {{ this.render() }} (
            {%- for col_name in agate_table.column_names -%}
                {%- set inferred_type = adapter.convert_type(agate_table, loop.index0) -%}
                {%- set type = lead_scoring.postgres_data_type(column_override.get(col_name, inferred_type)) -%}
                {{ adapter.quote_seed_column(col_name | string, quote_seed_column) }} {{ type }}
                {%- if not loop.last -%}, {% endif -%}
            {%- endfor -%}
        )
    {%- endset -%}
    {%- call statement('_') -%}
        {{ sql }}
    {%- endcall -%}
    {{ return(sql) }}
{% endmacro %}
