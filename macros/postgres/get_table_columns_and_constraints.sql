{% macro postgres__get_table_columns_and_constraints() %}
    {#- dbt's table_columns_and_constraints() with each contract data_type as Postgres spells it
        (postgres_data_type: string -> text, double -> double precision); constraints unchanged. -#}
    {%- set columns = {} -%}
    {%- for name, column in model['columns'].items() -%}
        {%- set translated = {} -%}
        {%- do translated.update(column) -%}
        {%- if column.get('data_type') -%}
            {%- do translated.update({'data_type': lead_scoring.postgres_data_type(column['data_type'])}) -%}
        {%- endif -%}
        {%- do columns.update({name: translated}) -%}
    {%- endfor -%}
    {{ return(lead_scoring.contract_columns_ddl(columns, model['constraints'])) }}
{% endmacro %}
