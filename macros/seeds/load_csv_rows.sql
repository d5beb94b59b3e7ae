{#- Override of dbt's seed loader on Spark (found first through the project's dispatch search
    order). dbt-spark's session method pastes each binding into the SQL as '<value>' with no
    escaping: a blank cell becomes the text 'None' and O'Brien breaks the statement. This writes
    every value as an escaped literal instead, blanks as null (string columns uncast: parsing a
    VALUES list of plain literals is about twice as fast). -#}

{% macro spark__load_csv_rows(model, agate_table) %}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(10000) -%}
        {%- set sql -%}
            insert into {{ this.render() }} values
            {% for row in chunk -%}
                (
                {%- for col_name in agate_table.column_names -%}
                    {%- set type = column_override.get(col_name, adapter.convert_type(agate_table, loop.index0)) -%}
                    {%- if type | lower == 'string' -%}
                        {{ lead_scoring.spark_seed_literal(row[loop.index0]) }}
                    {%- else -%}
                        cast({{ lead_scoring.spark_seed_literal(row[loop.index0]) }} as {{ type }})
                    {%- endif -%}
                    {%- if not loop.last %}, {% endif -%}
                {%- endfor -%}
                ){%- if not loop.last %},{% endif %}
            {% endfor %}
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- if loop.first -%}
            {%- do statements.append(sql) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(statements[0] if statements else '') }}
{% endmacro %}

{% macro spark_seed_literal(value) %}
    {#- One seed cell as a Spark SQL literal: null, true/false, a number, or an escaped string
        (Spark string literals treat backslash as an escape character). -#}
    {%- if value is none -%}
        {{ return('null') }}
    {%- elif value is sameas true or value is sameas false -%}
        {{ return(value | string | lower) }}
    {%- elif value is number -%}
        {{ return(value | string) }}
    {%- else -%}
        {{ return("'" ~ (value | string | replace('\\', '\\\\') | replace("'", "\\'")) ~ "'") }}
    {%- endif -%}
{% endmacro %}
