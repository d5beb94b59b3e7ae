{% macro duckdb__get_table_columns_and_constraints() %}
    {#- dbt's contract DDL on DuckDB without the primary keys (docs/decisions.md, "Keys of the
        marts"): DuckDB enforces a primary key with an ART index, built on every insert and kept in
        memory while it is built. The keys stay guarded by the unique and not_null data tests,
        which run before a build is published; names, types, not null and checks stay enforced. -#}
    {%- set columns = {} -%}
    {%- for name, column in model['columns'].items() -%}
        {%- set kept = {} -%}
        {%- do kept.update(column) -%}
        {%- do kept.update({'constraints': column.get('constraints', [])
            | rejectattr('type', 'equalto', 'primary_key') | list}) -%}
        {%- do columns.update({name: kept}) -%}
    {%- endfor -%}
    {%- set model_constraints = model['constraints'] | rejectattr('type', 'equalto', 'primary_key') | list -%}
    {{ return(lead_scoring.contract_columns_ddl(columns, model_constraints)) }}
{% endmacro %}


{% macro contract_columns_ddl(columns, model_constraints) %}
    {#- dbt's table_columns_and_constraints() for given columns and model constraints: the column
        list of a contract's create table, shared by the DuckDB and Postgres overrides. -#}
    {%- set raw_column_constraints = adapter.render_raw_columns_constraints(raw_columns=columns) -%}
    {%- set raw_model_constraints = adapter.render_raw_model_constraints(raw_constraints=model_constraints) -%}
    (
    {% for c in raw_column_constraints -%}
      {{ c }}{{ "," if not loop.last or raw_model_constraints }}
    {% endfor %}
    {% for c in raw_model_constraints -%}
        {{ c }}{{ "," if not loop.last }}
    {% endfor -%}
    )
{% endmacro %}
