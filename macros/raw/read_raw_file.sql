{% macro read_raw_file(path, file_format, columns) %}
    {#- A table expression reading one raw file in place, every column as text.
        `columns` lists the expected columns; an empty file (no header) gives them with no rows. -#}
    {{ return(adapter.dispatch('read_raw_file', 'lead_scoring')(path, file_format, columns)) }}
{% endmacro %}

{% macro default__read_raw_file(path, file_format, columns) %}
    {{ exceptions.raise_compiler_error("reading raw files (--raw-dir) is not implemented for adapter " ~ adapter.type()) }}
{% endmacro %}

{% macro duckdb__read_raw_file(path, file_format, columns) %}
    {%- if file_format == 'empty' -%}
        (select {% for column in columns %}cast(null as varchar) as {{ column }}{% if not loop.last %}, {% endif %}{% endfor %} where 1 = 0)
    {%- elif file_format == 'parquet' -%}
        read_parquet('{{ path }}')
    {%- else -%}
        read_csv('{{ path }}', header = true, all_varchar = true, delim = ',', quote = '"', escape = '"', max_line_size = 16777216)
    {%- endif -%}
{% endmacro %}

{% macro spark__read_raw_file(path, file_format, columns) %}
    {#- Spark SQL cannot give CSV options inline (csv.`path` has no header), so the on-run-start
        hook register_raw_files() registers each raw file as an external table
        raw_file_<table> (all columns string); this names that table. -#}
    {%- if file_format == 'empty' -%}
        (select {% for column in columns %}cast(null as string) as {{ column }}{% if not loop.last %}, {% endif %}{% endfor %} where 1 = 0)
    {%- else -%}
        {{ lead_scoring.raw_file_relation(path) }}
    {%- endif -%}
{% endmacro %}
