-- Every distinct activity row with its final quarantine reason: staging's row checks, then
-- activities whose lead_id matches no usable lead (orphan_lead_id).

with

activities as (
    select * from {{ ref('stg_activities') }}
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
        coalesce(quarantine_reason, case when not has_usable_lead then 'orphan_lead_id' end) as quarantine_reason
    from activities_checked
)

select * from reasoned
