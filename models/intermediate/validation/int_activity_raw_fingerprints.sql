-- One row per lead key (the raw lead_id, trimmed; '' when missing) in the raw activities now or
-- in the previous build: a fingerprint of its raw rows, and whether an incremental
-- int_activities_validated must stage its rows again for a reason the raw rows and the previous
-- build tell (is_changed_by_rows):
--   - its raw rows changed (count or fingerprint: rows added, removed or edited),
--   - it has rows quarantined as future_timestamp (they may have become usable by now),
--   - it shares an activity_id with a row of such a lead (the duplicate_key ranking may move).
-- It reads no model of this run but the fingerprints per raw file, so it runs while
-- int_leads_validated does; int_activity_leads_changed adds the leads whose usability changed.
-- The previous build's fingerprints are this model's own table, read before dbt replaces it;
-- its rows already validated are int_activities_validated's table (macro prior_build_relation).
-- The raw activities are read only in an incremental run (touched_activity_ids), so dbt is told:
-- depends_on: {{ ref('raw_activities') }}

{%- set prior = prior_build_relation() %}
{%- set validated = prior_build_relation('int_activities_validated') if prior else none %}
{#- The files this run read first (new since the previous build): a key whose rows only grew by
    theirs is appended to, not staged again (is_append_only). -#}
{%- set new_files = raw_activity_files_loaded_this_run() if validated else [] %}

with

raw_keys as (
    -- Per lead_id as written (before trimming), so that the keys that changed find their raw rows
    -- again by equality, without a second pass of trimming every row: the sums over the raw files
    -- (int_activity_raw_file_fingerprints, which reads only the files a previous build did not).
    select
        raw_lead_id,
        sum(raw_row_count) as raw_row_count,
        bit_xor(raw_fingerprint) as raw_fingerprint,
        {%- if new_files %}
            sum(
                case when loaded_by = '{{ invocation_id }}' then raw_row_count else 0 end
            ) as loaded_row_count
        {%- else %}
            0 as loaded_row_count
        {%- endif %}
    from {{ ref('int_activity_raw_file_fingerprints') }}
    group by raw_lead_id
),

current_keys as (
    select
        coalesce({{ clean_text('raw_lead_id') }}, '') as lead_key,
        cast(sum(raw_row_count) as {{ dbt.type_bigint() }}) as raw_row_count,
        coalesce(bit_xor(raw_fingerprint), 0) as raw_fingerprint,
        sum(loaded_row_count) as loaded_row_count
    from raw_keys
    group by coalesce({{ clean_text('raw_lead_id') }}, '')
),

prior_keys as (
    {%- if prior %}
        select
            lead_key,
            raw_row_count,
            raw_fingerprint
        from {{ prior }}
        where raw_row_count > 0
    {%- else %}
        select
            cast(null as {{ dbt.type_string() }}) as lead_key,
            0 as raw_row_count,
            0 as raw_fingerprint
        where 1 = 0
    {%- endif %}
),

compared as (
    select
        coalesce(current_keys.lead_key, prior_keys.lead_key) as lead_key,
        coalesce(current_keys.raw_row_count, 0) as raw_row_count,
        coalesce(current_keys.raw_fingerprint, 0) as raw_fingerprint,
        coalesce(
            prior_keys.lead_key is null
            or current_keys.lead_key is null
            or current_keys.raw_row_count <> prior_keys.raw_row_count
            or current_keys.raw_fingerprint <> prior_keys.raw_fingerprint,
            true
        ) as is_raw_changed,
        -- Rows were only added, all of them in this run's new files: as many rows as before plus
        -- theirs (a removed or rewritten file would take rows away).
        coalesce(
            current_keys.loaded_row_count > 0
            and current_keys.raw_row_count = coalesce(prior_keys.raw_row_count, 0) + current_keys.loaded_row_count,
            false
        ) as is_appended
    from current_keys
    full outer join prior_keys
        on current_keys.lead_key = prior_keys.lead_key
),

{%- if validated %}

    unsettled_keys as (
        select distinct coalesce(lead_id, '') as lead_key
        from {{ validated }}
        where quarantine_reason = 'future_timestamp'
    ),

    changed_keys as (
        -- Keys whose validated rows may all move: an appended key's earlier rows stay as they are,
        -- unless a new row shares their activity_id (below).
        select lead_key from compared
        where is_raw_changed and not is_appended
        union
        select lead_key from unsettled_keys
    ),

    -- The raw rows of a key whose raw rows changed (an unsettled key's raw rows are the ones
    -- validated, read below), found by the lead_id as written: no trimming of every raw row,
    -- and no scan at all on a night without changed raw rows (the join's build side is empty;
    -- DuckDB skips it for an equality, not for IS NOT DISTINCT FROM, hence the coalesce: a
    -- null and an empty lead_id are the same key ''). A null activity_id matches nothing below.
    changed_raw_keys as (
        select coalesce(cast(raw_keys.raw_lead_id as {{ dbt.type_string() }}), '') as raw_lead_id
        from raw_keys
        inner join compared
            on coalesce({{ clean_text('raw_keys.raw_lead_id') }}, '') = compared.lead_key
        where compared.is_raw_changed and not compared.is_appended
    ),

    appended_rows as (
        -- The rows of this run's new files of the appended keys.
        {%- if new_files %}
            select
                coalesce({{ clean_text('raw_rows.lead_id') }}, '') as lead_key,
                {{ clean_text('raw_rows.activity_id') }} as activity_id,
                {{ activity_id_key(clean_text('raw_rows.activity_id')) }} as activity_id_key
            from {{ read_raw_files_named('activities', new_files | map(attribute='path') | list) }} as raw_rows
            inner join compared
                on coalesce({{ clean_text('raw_rows.lead_id') }}, '') = compared.lead_key
            where compared.is_appended
        {%- else %}
            select
                cast(null as {{ dbt.type_string() }}) as lead_key,
                cast(null as {{ dbt.type_string() }}) as activity_id,
                {{ activity_id_key('cast(null as ' ~ dbt.type_string() ~ ')') }} as activity_id_key
            where 1 = 0
        {%- endif %}
    ),

    -- The activity_ids are looked up by their 64-bit keys (macro activity_id_key): a scan of the
    -- validated rows' integer keys instead of their ids, about 1 s less at 50M rows. A key two ids
    -- share matches both (a collision): a lead staged again, never one left out.
    touched_activity_ids as (
        select {{ activity_id_key(clean_text('raw_activities.activity_id')) }} as activity_id_key
        from {{ raw_table('activities') }} as raw_activities
        inner join changed_raw_keys
            on coalesce(cast(raw_activities.lead_id as {{ dbt.type_string() }}), '') = changed_raw_keys.raw_lead_id
        union
        select validated.activity_id_key
        from {{ validated }} as validated
        inner join changed_keys
            on coalesce(validated.lead_id, '') = changed_keys.lead_key
        where validated.activity_id is not null
        union
        select activity_id_key from appended_rows
        where activity_id is not null
    ),

    settled_matches as {{ materialized_cte() }} (
        -- The previous build's validated rows with a touched activity_id, and their lead keys:
        -- one scan of the validated activity_id keys for both uses below.
        select distinct
            coalesce(validated.lead_id, '') as lead_key,
            validated.activity_id_key
        from {{ validated }} as validated
        inner join touched_activity_ids
            on validated.activity_id_key = touched_activity_ids.activity_id_key
    ),

    sharing_keys as (
        -- Their leads' duplicate_key ranking may move (as macro leads_sharing_activity_ids finds).
        select distinct lead_key from settled_matches
    ),

    settled_ids as (
        select distinct activity_id_key from settled_matches
    ),

    appended_keys_to_restage as (
        -- An appended key is staged again whole when a new row has no activity_id (an exact copy
        -- of a validated row would not be seen) or one a validated row already has (by key).
        select distinct appended_rows.lead_key
        from appended_rows
        left join settled_ids
            on appended_rows.activity_id_key = settled_ids.activity_id_key
        where appended_rows.activity_id is null
            or settled_ids.activity_id_key is not null
    ),

    flagged as (
        select
            compared.lead_key,
            compared.raw_row_count,
            compared.raw_fingerprint,
            compared.is_raw_changed
            or unsettled_keys.lead_key is not null
            or sharing_keys.lead_key is not null as is_changed_by_rows,
            compared.is_appended
            and unsettled_keys.lead_key is null
            and sharing_keys.lead_key is null
            and appended_keys_to_restage.lead_key is null as is_append_only
        from compared
        left join unsettled_keys
            on compared.lead_key = unsettled_keys.lead_key
        left join sharing_keys
            on compared.lead_key = sharing_keys.lead_key
        left join appended_keys_to_restage
            on compared.lead_key = appended_keys_to_restage.lead_key
    )

{%- else %}

    flagged as (
        select
            lead_key,
            raw_row_count,
            raw_fingerprint,
            is_raw_changed as is_changed_by_rows,
            false as is_append_only
        from compared
    )

{%- endif %}

select * from flagged
