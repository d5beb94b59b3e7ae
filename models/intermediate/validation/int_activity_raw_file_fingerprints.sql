-- One row per raw activities file and raw lead_id in it: how many rows the file has for that
-- lead_id and the xor of their hashes; int_activity_raw_fingerprints adds a lead key's files up.
-- A file is known by its key (path, size and modification time, macro raw_file_keys: the file or
-- the files of the folder --raw-dir found for the table), so an incremental run reads only the
-- files whose key it has not seen: a new part of a folder, a rewritten file. Rows of files no
-- longer there, or rewritten, are deleted first (pre-hook). Where the table has no file keys (the
-- sample seed, Spark's external tables) it is read whole on every run, under key ''.
-- A --full-refresh reads every file again (docs/decisions.md, "Incremental runs"). loaded_by is the
-- invocation_id of the run that read the file: later models of the same run find the rows of the
-- files it added there (macro raw_activity_files_loaded_this_run).

{{ config(
    materialized=scoring_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_raw_files_gone('activities') }}"
) }}

{%- set files = raw_file_keys('activities') %}
{%- set raw_columns = ['activity_id', 'lead_id', 'activity_type', 'occurred_at', 'detail'] %}
{%- set read_columns = [] %}
{%- for column in raw_columns %}
    {%- do read_columns.append('raw_rows.' ~ column) %}
{%- endfor %}
{%- set to_read = files %}
{%- if files and is_incremental() and execute %}
    {%- set seen = run_query('select distinct file_key from ' ~ this).columns[0].values() %}
    {%- set to_read = files | rejectattr('key', 'in', seen) | list %}
{%- endif %}

{%- if not files %}

    select
        cast('' as {{ dbt.type_string() }}) as file_key,
        cast(lead_id as {{ dbt.type_string() }}) as raw_lead_id,
        cast(count(*) as {{ dbt.type_bigint() }}) as raw_row_count,
        bit_xor({{ row_fingerprint(raw_columns) }}) as raw_fingerprint,
        cast('{{ invocation_id }}' as {{ dbt.type_string() }}) as loaded_by
    from {{ raw_table('activities') }}
    group by cast(lead_id as {{ dbt.type_string() }})

{%- elif to_read %}

    select
        file_keys.file_key,
        cast(raw_rows.lead_id as {{ dbt.type_string() }}) as raw_lead_id,
        cast(count(*) as {{ dbt.type_bigint() }}) as raw_row_count,
        bit_xor({{ row_fingerprint(read_columns) }}) as raw_fingerprint,
        cast('{{ invocation_id }}' as {{ dbt.type_string() }}) as loaded_by
    from {{ read_raw_files_named('activities', to_read | map(attribute='path') | list) }} as raw_rows
    inner join (
        values
        {%- for file in to_read %}
            ('{{ file.path }}', '{{ file.key }}'){% if not loop.last %},{% endif %}
        {%- endfor %}
    ) as file_keys (file_name, file_key)
        on raw_rows.filename = file_keys.file_name
    group by file_keys.file_key, cast(raw_rows.lead_id as {{ dbt.type_string() }})

{%- else %}

    select
        cast(null as {{ dbt.type_string() }}) as file_key,
        cast(null as {{ dbt.type_string() }}) as raw_lead_id,
        cast(0 as {{ dbt.type_bigint() }}) as raw_row_count,
        cast(0 as {{ dbt.type_bigint() }}) as raw_fingerprint,
        cast(null as {{ dbt.type_string() }}) as loaded_by
    where 1 = 0

{%- endif %}
