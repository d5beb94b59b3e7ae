-- Every distinct activity row with its final quarantine reason: staging's row checks, then
-- activities whose lead_id matches no usable lead (orphan_lead_id). record_text is null on a
-- usable row whose key has no other distinct row: almost every row, and writing its raw text
-- again cost a fifth of the model's time (docs/decisions.md, "Duplicate keys"). activity_id_key
-- (macro activity_id_key) is what the next incremental run looks the day's activity_ids up by.
--
-- Incremental (docs/decisions.md, "Incremental runs"): a run stages again only the raw rows of the
-- leads int_activity_leads_changed restages (their old rows are deleted first), ranking duplicate
-- keys together with the rows of the other leads already here, and the new files' rows of the
-- leads it appends to (int_activities_raw_changed).
-- depends_on: {{ ref('int_activity_leads_changed') }}
-- depends_on: {{ ref('int_activities_raw_changed') }}

{{ config(
    materialized=scoring_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_changed_activity_leads() }}"
) }}

with

activities as (
    {%- if is_incremental() %}
        {{ staged_activities(ref('int_activities_raw_changed'), this, activity_leads_restaged()) | indent(8) }}
    {%- else %}
        select * from {{ ref('stg_activities') }}
    {%- endif %}
),

usable_leads as (
    select lead_id from {{ ref('int_leads_validated') }}
    where quarantine_reason is null
),

activities_checked as (
    select
        activities.*,
        usable_leads.lead_id is not null as has_usable_lead
    from activities
    left join usable_leads
        on activities.lead_id = usable_leads.lead_id
),

reasoned as (
    select
        activity_id,
        lead_id,
        activity_type,
        detail,
        record_text,
        occurred_at,
        coalesce(quarantine_reason, case when not has_usable_lead then 'orphan_lead_id' end) as quarantine_reason,
        key_row_count
    from activities_checked
),

kept_text as (
    -- The raw text is kept where it is read: quarantined rows (rpt_quarantined_rows) and rows
    -- whose key has other distinct rows (the tie-break of a later incremental ranking).
    select
        activity_id,
        lead_id,
        activity_type,
        detail,
        case
            when quarantine_reason is null and key_row_count = 1 then null
            else record_text
        end as record_text,
        occurred_at,
        quarantine_reason,
        {{ activity_id_key('activity_id') }} as activity_id_key
    from reasoned
)

select * from kept_text
