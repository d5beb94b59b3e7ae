{% macro read_raw_file(path, file_format, columns, files=none, file_name=false) %}
    {#- A table expression reading one raw file in place, every column as text, or with `files`
        (a raw table given as a folder, `path`) those files together, their columns matched by
        name. `columns` lists the expected columns; an empty file (no header) gives them with no
        rows. With file_name (DuckDB, for files raw_file_keys() lists), a column `filename` names
        each row's file. -#}
    {{ return(adapter.dispatch('read_raw_file', 'lead_scoring')(path, file_format, columns, files, file_name)) }}
{% endmacro %}

{% macro default__read_raw_file(path, file_format, columns, files=none, file_name=false) %}
    {{ exceptions.raise_compiler_error("reading raw files (--raw-dir) is not implemented for adapter " ~ adapter.type()) }}
{% endmacro %}

{% macro duckdb__read_raw_file(path, file_format, columns, files=none, file_name=false) %}
    {%- set source = "'" ~ path ~ "'" if files is none else "['" ~ files | join("', '") ~ "'], union_by_name = true" -%}
    {%- set source = source ~ (', filename = true' if file_name else '') -%}
    {%- if file_format == 'empty' -%}
        (select {% for column in columns %}cast(null as varchar) as {{ column }}{% if not loop.last %}, {% endif %}{% endfor %} where 1 = 0)
    {%- elif file_format == 'parquet' -%}
        read_parquet({{ source }})
    {%- else -%}
        read_csv({{ source }}, header = true, all_varchar = true, delim = ',', quote = '"', escape = '"', max_line_size = 16777216)
    {%- endif -%}
{% endmacro %}

{% macro spark__read_raw_file(path, file_format, columns, files=none, file_name=false) %}
    {#- Spark SQL cannot give CSV options inline (csv.`path` has no header), so the on-run-start
        hook register_raw_files() registers each raw file (or folder: Spark reads every file in
        it but hidden ones, like scripts/build.py) as an external table raw_file_<table> (all
        columns string); this names that table. -#}
    {%- if file_format == 'empty' -%}
        (select {% for column in columns %}cast(null as string) as {{ column }}{% if not loop.last %}, {% endif %}{% endfor %} where 1 = 0)
    {%- else -%}
        {{ lead_scoring.raw_file_relation(path) }}
    {%- endif -%}
{% endmacro %}
