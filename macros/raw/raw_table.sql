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

{% macro raw_file_keys(table_name) %}
    {#- Dispatched. The files a raw table is read from, each as {path, key}: key is the file's
        identity (path, size and modification time in ns, from scripts/build.py --raw-dir), which
        tells a file an earlier build already read (int_activity_raw_file_fingerprints). An
        empty list where the table is a seed, an empty file, or the engine reads no file by name
        (Spark: an external table over the path). -#}
    {{ return(adapter.dispatch('raw_file_keys', 'lead_scoring')(table_name)) }}
{% endmacro %}

{% macro default__raw_file_keys(table_name) %}
    {{ return([]) }}
{% endmacro %}

{% macro duckdb__raw_file_keys(table_name) %}
    {%- set raw_file = lead_scoring.run_var('raw_files', {}).get(table_name, {}) -%}
    {{ return(raw_file.get('identities', [])) }}
{% endmacro %}

{% macro read_raw_files_named(table_name, paths) %}
    {#- The rows of some of a raw table's files (paths from raw_file_keys()), with a column
        `filename` naming each row's file. -#}
    {%- set raw_file = lead_scoring.run_var('raw_files')[table_name] -%}
    {{ return(read_raw_file(raw_file['path'], raw_file['format'], raw_file.get('columns', []), paths, true)) }}
{% endmacro %}

{% macro raw_activity_files_loaded_this_run() %}
    {#- The raw activities files (as raw_file_keys gives them: {path, key}) that
        int_activity_raw_file_fingerprints read in this run: in an incremental run, the files new
        since the previous build (a day's new part of the folder, a rewritten file). Empty while
        parsing, in unit tests, and where the table has no file keys (a seed, Spark). -#}
    {%- set fingerprints = ref('int_activity_raw_file_fingerprints') -%}
    {%- set files = lead_scoring.raw_file_keys('activities') -%}
    {%- if not execute or not files or model.resource_type == 'unit_test' -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set loaded = run_query("select distinct file_key from " ~ fingerprints
                               ~ " where loaded_by = '" ~ invocation_id ~ "'").columns[0].values() -%}
    {{ return(files | selectattr('key', 'in', loaded) | list) }}
{% endmacro %}
