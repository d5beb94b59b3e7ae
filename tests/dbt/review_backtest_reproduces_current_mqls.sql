-- The backtest at the current threshold (var mql_threshold) gives exactly the warehouse's MQLs:
-- per lead the same number of MQLs and the same first and latest MQL instants as dim_leads, and
-- the same MQL activities as fct_lead_score_history. Any row returned is a mismatch.

with

leads as (
    select * from {{ ref('dim_leads') }}
),

history as (
    select * from {{ ref('fct_lead_score_history') }}
),

backtested as (
    select * from {{ ref('int_mql_moments_backtested') }}
    where is_current_threshold
),

backtested_per_lead as (
    select
        lead_id,
        count(*) as mql_count,
        min(mql_at) as first_mql_at,
        max(mql_at) as latest_mql_at
    from backtested
    group by lead_id
),

lead_mismatches as (
    select
        coalesce(leads.lead_id, backtested_per_lead.lead_id) as lead_id,
        'dim_leads' as compared_with
    from leads
    full outer join backtested_per_lead
        on leads.lead_id = backtested_per_lead.lead_id
    where coalesce(leads.mql_count, 0) <> coalesce(backtested_per_lead.mql_count, 0)
        or not (
            (leads.first_mql_at is null and backtested_per_lead.first_mql_at is null)
            or leads.first_mql_at = backtested_per_lead.first_mql_at
        )
        or not (
            (leads.latest_mql_at is null and backtested_per_lead.latest_mql_at is null)
            or leads.latest_mql_at = backtested_per_lead.latest_mql_at
        )
),

mql_events as (
    select
        lead_id,
        activity_id
    from history
    where is_mql_event
),

activity_mismatches as (
    select
        coalesce(mql_events.lead_id, backtested.lead_id) as lead_id,
        'fct_lead_score_history' as compared_with
    from mql_events
    full outer join backtested
        on mql_events.activity_id = backtested.activity_id
    where mql_events.activity_id is null
        or backtested.activity_id is null
),

mismatches as (
    select * from lead_mismatches
    union all
    select * from activity_mismatches
)

select * from mismatches
