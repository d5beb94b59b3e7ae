-- Every distinct opportunity row with its final quarantine reason: staging's row checks, then
-- opportunities whose account_id matches no usable account (orphan_account_id) or whose lead_id
-- matches no usable lead (orphan_lead_id).
-- Kept from the previous build when nothing it reads changed (macro reuse_plan; docs/decisions.md,
-- "Reused when nothing changed").

{{ config(**reuse_unchanged_config()) }}

with

opportunities as (
    select * from {{ ref('stg_opportunities') }}
),

usable_leads as (
    select lead_id from {{ ref('int_leads_validated') }}
    where quarantine_reason is null
),

usable_accounts as (
    select account_id from {{ ref('stg_accounts') }}
    where quarantine_reason is null
),

opportunities_checked as (
    select
        opportunities.*,
        usable_leads.lead_id is not null as has_usable_lead,
        usable_accounts.account_id is not null as has_usable_account
    from opportunities
    left join usable_leads
        on opportunities.lead_id = usable_leads.lead_id
    left join usable_accounts
        on opportunities.account_id = usable_accounts.account_id
),

reasoned as (
    select
        opportunity_id,
        lead_id,
        account_id,
        record_text,
        amount_usd,
        is_won,
        created_at,
        closed_at,
        coalesce(
            quarantine_reason,
            case when account_id is not null and not has_usable_account then 'orphan_account_id' end,
            case when not has_usable_lead then 'orphan_lead_id' end
        ) as quarantine_reason
    from opportunities_checked
)

{{ select_unless_reused('reasoned') }}
