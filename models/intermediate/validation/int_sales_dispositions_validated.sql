-- Every distinct sales disposition row with its final quarantine reason: staging's row checks,
-- then dispositions whose lead_id matches no usable lead (orphan_lead_id).
-- Kept from the previous build when nothing it reads changed (macro reuse_plan; docs/decisions.md,
-- "Reused when nothing changed").

{{ config(**reuse_unchanged_config()) }}

with

dispositions as (
    select * from {{ ref('stg_sales_dispositions') }}
),

usable_leads as (
    select lead_id from {{ ref('int_leads_validated') }}
    where quarantine_reason is null
),

dispositions_checked as (
    select
        dispositions.*,
        usable_leads.lead_id is not null as has_usable_lead
    from dispositions
    left join usable_leads
        on dispositions.lead_id = usable_leads.lead_id
),

reasoned as (
    select
        disposition_id,
        lead_id,
        disposition,
        reason,
        record_text,
        disposition_at,
        coalesce(quarantine_reason, case when not has_usable_lead then 'orphan_lead_id' end) as quarantine_reason
    from dispositions_checked
)

{{ select_unless_reused('reasoned') }}
