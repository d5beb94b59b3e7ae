-- Every distinct lead row with its final quarantine reason: staging's row checks, then leads whose
-- account_id matches no usable account (orphan_account_id). Usable rows have a null reason.
-- record_text is kept on quarantined rows only, the one place it is read (rpt_quarantined_rows):
-- writing every lead's raw text a second time cost about a third of the model's time at 1M leads.
-- Kept from the previous build when nothing it reads changed (macro reuse_plan; docs/decisions.md,
-- "Reused when nothing changed").

{{ config(**reuse_unchanged_config()) }}

with

leads as (
    select * from {{ ref('stg_leads') }}
),

usable_accounts as (
    select account_id from {{ ref('stg_accounts') }}
    where quarantine_reason is null
),

leads_checked as (
    -- The final reason: staging's, else orphan_account_id when the account is not usable.
    select
        leads.*,
        coalesce(
            leads.quarantine_reason,
            case when leads.account_id is not null and usable_accounts.account_id is null then 'orphan_account_id' end
        ) as final_quarantine_reason
    from leads
    left join usable_accounts
        on leads.account_id = usable_accounts.account_id
),

reasoned as (
    select
        lead_id,
        account_id,
        email,
        email_domain,
        first_name,
        last_name,
        job_title,
        lead_source,
        country,
        case when final_quarantine_reason is not null then record_text end as record_text,
        is_email_malformed,
        created_at,
        final_quarantine_reason as quarantine_reason
    from leads_checked
)

{{ select_unless_reused('reasoned') }}
