-- dim_leads.mql_count and first/latest MQL times agree with the MQL events in the score history.

with

leads as (
    select * from {{ ref('dim_leads') }}
),

history as (
    select * from {{ ref('fct_lead_score_history') }}
),

mql_events as (
    select
        lead_id,
        count(*) as mql_events,
        min(occurred_at) as first_event_at,
        max(occurred_at) as latest_event_at
    from history
    where is_mql_event
    group by lead_id
),

mismatches as (
    select
        leads.lead_id,
        leads.mql_count,
        mql_events.mql_events
    from leads
    left join mql_events
        on leads.lead_id = mql_events.lead_id
    where leads.mql_count <> coalesce(mql_events.mql_events, 0)
        or leads.first_mql_at <> mql_events.first_event_at
        or leads.latest_mql_at <> mql_events.latest_event_at
)

select * from mismatches
