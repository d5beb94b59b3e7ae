-- Every distinct lead row with its final quarantine reason: staging's row checks, then leads whose
-- account_id matches no usable account (orphan_account_id). Usable rows have a null reason.
-- record_text is kept on quarantined rows only, the one place it is read (rpt_quarantined_rows):
-- writing every lead's raw text a second time cost about a third of the model's time at 1M leads.

with

leads as (
    select * from {{ ref('stg_leads') }}
),

usable_accounts as (
    select account_id from {{ ref('stg_accounts') }}
    where quarantine_reason is null
),

leads_checked as (
    select
        leads.*,
        usable_accounts.account_id is not null as has_usable_account
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
        record_text,
        is_email_malformed,
        created_at,
        coalesce(
            quarantine_reason,
            case when account_id is not null and not has_usable_account then 'orphan_account_id' end
        ) as quarantine_reason
    from leads_checked
),

kept_text as (
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
        case when quarantine_reason is not null then record_text end as record_text,
        is_email_malformed,
        created_at,
        quarantine_reason
    from reasoned
)

select * from kept_text
