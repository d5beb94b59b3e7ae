-- One row per lead key of int_activity_raw_fingerprints (the raw lead_id, trimmed; '' when
-- missing): whether it is a usable lead, and whether an incremental int_activities_validated
-- must stage its rows again (is_changed):
--   - int_activity_raw_fingerprints flags it (raw rows changed, future_timestamp rows to re-check,
--     or an activity_id shared with such a lead),
--   - it became usable or unusable (its activities turn orphan or back),
--   - it shares an activity_id with a row of a lead that did (the duplicate_key ranking may move).
-- is_restaged: the rows of a changed key are staged again from all the raw files (its old rows
-- deleted first), unless its rows only grew by this run's new files, all with activity_ids no
-- validated row has, and its usability did not change: then only the new rows are staged and
-- appended (is_append_only of int_activity_raw_fingerprints).
-- The previous build's usability is this model's own table, read before dbt replaces it; the
-- rows of a lead whose raw rows did not change are int_activities_validated's table as the
-- previous build left it (macro prior_build_relation).

{%- set prior = prior_build_relation() %}
{%- set validated = prior_build_relation('int_activities_validated') if prior else none %}

with

fingerprints as (
    select
        lead_key,
        raw_row_count,
        raw_fingerprint,
        is_changed_by_rows,
        is_append_only
    from {{ ref('int_activity_raw_fingerprints') }}
),

usable_leads as (
    select lead_id from {{ ref('int_leads_validated') }}
    where quarantine_reason is null
),

current_keys as (
    select
        fingerprints.*,
        fingerprints.raw_row_count > 0 and usable_leads.lead_id is not null as is_usable_lead
    from fingerprints
    left join usable_leads
        on fingerprints.lead_key = usable_leads.lead_id
),

prior_keys as (
    {%- if prior %}
        select
            lead_key,
            is_usable_lead
        from {{ prior }}
        where raw_row_count > 0
    {%- else %}
        select
            cast(null as {{ dbt.type_string() }}) as lead_key,
            false as is_usable_lead
        where 1 = 0
    {%- endif %}
),

compared as (
    select
        current_keys.*,
        prior_keys.lead_key is null as is_new_key,
        prior_keys.lead_key is null
        or current_keys.is_usable_lead <> prior_keys.is_usable_lead as is_usability_changed
    from current_keys
    left join prior_keys
        on current_keys.lead_key = prior_keys.lead_key
),

{%- if validated %}

    -- A lead whose usability changed but whose raw rows did not has the same activity_ids in
    -- the raw activities as in the previous build's validated rows. A key new since the previous
    -- build has no validated row there: leaving the new keys out leaves the join nothing to
    -- look for on a night whose only usability changes are new keys (a day's new leads), and
    -- DuckDB then skips the scan of every validated row.
    touched_activity_ids as (
        select distinct validated.activity_id_key
        from {{ validated }} as validated
        inner join compared
            on coalesce(validated.lead_id, '') = compared.lead_key
        where compared.is_usability_changed
            and not compared.is_new_key
            and validated.activity_id is not null
    ),

    sharing_keys as (
        {{ leads_sharing_activity_ids(validated, 'touched_activity_ids') }}
    ),

    flagged_keys as (
        select
            compared.lead_key,
            compared.raw_row_count,
            compared.raw_fingerprint,
            compared.is_usable_lead,
            compared.is_changed_by_rows
            or compared.is_usability_changed
            or sharing_keys.lead_key is not null as is_changed,
            -- A new key's rows are all in the new files, whatever its usability.
            compared.is_append_only
            and (compared.is_new_key or not compared.is_usability_changed)
            and sharing_keys.lead_key is null as is_appendable
        from compared
        left join sharing_keys
            on compared.lead_key = sharing_keys.lead_key
    ),

{%- else %}

    flagged_keys as (
        select
            lead_key,
            raw_row_count,
            raw_fingerprint,
            is_usable_lead,
            is_changed_by_rows or is_usability_changed as is_changed,
            false as is_appendable
        from compared
    ),

{%- endif %}

flagged as (
    select
        lead_key,
        raw_row_count,
        raw_fingerprint,
        is_usable_lead,
        is_changed,
        is_changed and not is_appendable as is_restaged
    from flagged_keys
)

select * from flagged
