{% macro register_raw_files() %}
    {#- on-run-start hook: make the --raw-dir files (var raw_files) readable by the models where
        the engine needs a catalog entry for that (Spark); a no-op elsewhere. Returns no SQL. -#}
    {%- if execute and lead_scoring.run_var('raw_files', {}) -%}
        {%- do adapter.dispatch('register_raw_files', 'lead_scoring')(lead_scoring.run_var('raw_files')) -%}
    {%- endif -%}
    {{ return('') }}
{% endmacro %}

{% macro default__register_raw_files(raw_files) %}
{% endmacro %}

{% macro spark__register_raw_files(raw_files) %}
    {#- One external (unmanaged) table per raw file (or folder of files), replaced on every run so
        it always points at this build's file: CSV with a header and every column string (inferSchema off,
        RFC-4180 quoting, quoted newlines allowed), Parquet as written. Dropping an external
        table leaves the file alone. -#}
    {%- do run_query('create schema if not exists ' ~ target.schema) -%}
    {%- for table_name, raw_file in raw_files.items() if raw_file['format'] in ('csv', 'parquet') -%}
        {%- set relation = lead_scoring.raw_file_relation(raw_file['path']) -%}
        {%- do run_query('drop table if exists ' ~ relation) -%}
        {%- if raw_file['format'] == 'csv' -%}
            {%- set options = "header 'true', inferSchema 'false', multiLine 'true', escape '\"', mode 'PERMISSIVE'" -%}
        {%- else -%}
            {%- set options = "mergeSchema 'false'" -%}
        {%- endif -%}
        {%- do run_query(
            'create table ' ~ relation ~ ' using ' ~ raw_file['format']
            ~ " options (path '" ~ raw_file['path'] ~ "', " ~ options ~ ')'
        ) -%}
    {%- endfor -%}
{% endmacro %}

{% macro raw_file_relation(path) %}
    {#- The external table a raw file is registered as: raw_file_<table> in the target schema
        (scripts/build.py --raw-dir names every file <table>.csv or <table>.parquet, every folder
        <table>). -#}
    {%- set table_name = path.replace('\\', '/').split('/')[-1].rsplit('.', 1)[0] -%}
    {{ return(target.schema ~ '.raw_file_' ~ table_name) }}
{% endmacro %}
