{% macro postgres__read_raw_file(path, file_format, columns, files=none, file_name=false) %}
    {#- Raw files (--raw-dir) are read by the DuckDB and Spark targets only: a Postgres server
        cannot read files on the machine running dbt. docs/postgres.md: build from the sample
        seeds, or load the raw tables into Postgres yourself. -#}
    {{ exceptions.raise_compiler_error(
        "--raw-dir is not supported on the postgres target (the server cannot read files on this machine, '"
        ~ path ~ "'): build from the sample seeds (no --raw-dir), or load your raw tables into Postgres "
        ~ "as raw_<table> tables of text columns in schema " ~ target.schema
        ~ " and build with --exclude tag:sample so the staging models read them instead of the seeds (docs/postgres.md)") }}
{% endmacro %}
