-- One row per lifecycle event of a lead that exists at as_of, at or before as_of: created (lead),
-- each MQL moment, each accepted (sal) / qualified (sql) / recycled / disqualified disposition,
-- each opportunity created, each won opportunity's close (customer), each lost one's (recycled).
-- stage_order breaks ties at one instant: the later stage in SPEC order wins.

with

leads as (
    select * from {{ ref('int_leads_validated') }}
    where quarantine_reason is null
        and created_at <= {{ as_of_timestamp() }}
),

mql_moments as (
    select * from {{ ref('int_activities_scored') }}
    where is_mql_event
),

dispositions as (
    select * from {{ ref('int_sales_dispositions_validated') }}
    where quarantine_reason is null
        and disposition_at <= {{ as_of_timestamp() }}
),

opportunities as (
    select * from {{ ref('int_opportunities_validated') }}
    where quarantine_reason is null
),

lead_created_events as (
    select
        lead_id,
        'lead' as stage,
        'leads' as source,
        lead_id as source_id,
        created_at as occurred_at
    from leads
),

mql_events as (
    select
        lead_id,
        'mql' as stage,
        'activities' as source,
        activity_id as source_id,
        occurred_at
    from mql_moments
),

disposition_events as (
    select
        lead_id,
        case disposition
            when 'accepted' then 'sal'
            when 'qualified' then 'sql'
            else disposition
        end as stage,
        'sales_dispositions' as source,
        disposition_id as source_id,
        disposition_at as occurred_at
    from dispositions
),

opportunity_created_events as (
    select
        lead_id,
        'opportunity' as stage,
        'opportunities' as source,
        opportunity_id as source_id,
        created_at as occurred_at
    from opportunities
    where created_at <= {{ as_of_timestamp() }}
),

opportunity_closed_events as (
    select
        lead_id,
        case when is_won then 'customer' else 'recycled' end as stage,
        'opportunities' as source,
        opportunity_id as source_id,
        closed_at as occurred_at
    from opportunities
    where closed_at <= {{ as_of_timestamp() }}
        and is_won is not null
),

unioned as (
    select * from lead_created_events
    union all
    select * from mql_events
    union all
    select * from disposition_events
    union all
    select * from opportunity_created_events
    union all
    select * from opportunity_closed_events
),

events_of_existing_leads as (
    select
        {{ dbt.concat(["unioned.stage", "':'", "unioned.source", "':'", "unioned.source_id"]) }} as lifecycle_event_id,
        unioned.lead_id,
        unioned.stage,
        unioned.source,
        unioned.source_id,
        case unioned.stage
            when 'lead' then 1
            when 'mql' then 2
            when 'sal' then 3
            when 'sql' then 4
            when 'opportunity' then 5
            when 'customer' then 6
            when 'recycled' then 7
            when 'disqualified' then 8
        end as stage_order,
        unioned.occurred_at
    from unioned
    inner join leads
        on unioned.lead_id = leads.lead_id
)

select * from events_of_existing_leads
