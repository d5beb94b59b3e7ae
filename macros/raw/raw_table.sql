{% macro raw_table(table_name) %}
    {#- The relation a staging model reads its raw table from: the sample seed raw_<table>,
        or the file (or folder of files) scripts/build.py --raw-dir found for it (var raw_files). -#}
    {%- set raw_files = lead_scoring.run_var('raw_files', {}) -%}
    {%- if raw_files and table_name in raw_files -%}
        {%- set raw_file = raw_files[table_name] -%}
        {{ return(read_raw_file(raw_file['path'], raw_file['format'], raw_file.get('columns', []), raw_file.get('files'))) }}
    {%- elif raw_files -%}
        {{ exceptions.raise_compiler_error("var raw_files has no entry for raw table '" ~ table_name ~ "'") }}
    {%- else -%}
        {{ return(ref('raw_' ~ table_name)) }}
    {%- endif -%}
{% endmacro %}
