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

with

raw_keys as (
    -- Per lead_id as written (before trimming), so that the keys that changed find their raw rows
    -- again by equality, without a second pass of trimming every row: the sums over the raw files
    -- (int_activity_raw_file_fingerprints, which reads only the files a previous build did not).
    select
        raw_lead_id,
        sum(raw_row_count) as raw_row_count,
        bit_xor(raw_fingerprint) as raw_fingerprint
    from {{ ref('int_activity_raw_file_fingerprints') }}
    group by raw_lead_id
),

current_keys as (
    select
        coalesce({{ clean_text('raw_lead_id') }}, '') as lead_key,
        cast(sum(raw_row_count) as {{ dbt.type_bigint() }}) as raw_row_count,
        coalesce(bit_xor(raw_fingerprint), 0) as raw_fingerprint
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
        ) as is_raw_changed
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
        select lead_key from compared
        where is_raw_changed
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
        where compared.is_raw_changed
    ),

    touched_activity_ids as (
        select {{ clean_text('raw_activities.activity_id') }} as activity_id
        from {{ raw_table('activities') }} as raw_activities
        inner join changed_raw_keys
            on coalesce(cast(raw_activities.lead_id as {{ dbt.type_string() }}), '') = changed_raw_keys.raw_lead_id
        union
        select validated.activity_id
        from {{ validated }} as validated
        inner join changed_keys
            on coalesce(validated.lead_id, '') = changed_keys.lead_key
        where validated.activity_id is not null
    ),

    sharing_keys as (
        {{ leads_sharing_activity_ids(validated, 'touched_activity_ids') }}
    ),

    flagged as (
        select
            compared.lead_key,
            compared.raw_row_count,
            compared.raw_fingerprint,
            compared.is_raw_changed
            or unsettled_keys.lead_key is not null
            or sharing_keys.lead_key is not null as is_changed_by_rows
        from compared
        left join unsettled_keys
            on compared.lead_key = unsettled_keys.lead_key
        left join sharing_keys
            on compared.lead_key = sharing_keys.lead_key
    )

{%- else %}

    flagged as (
        select
            lead_key,
            raw_row_count,
            raw_fingerprint,
            is_raw_changed as is_changed_by_rows
        from compared
    )

{%- endif %}

select * from flagged
