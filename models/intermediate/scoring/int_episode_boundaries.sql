-- One row per event that starts a new scoring episode for a lead, at or before as_of: every
-- recycled disposition and every lost opportunity's closed_at.

with

dispositions as (
    select * from {{ ref('int_sales_dispositions_validated') }}
    where quarantine_reason is null
),

opportunities as (
    select * from {{ ref('int_opportunities_validated') }}
    where quarantine_reason is null
),

recycled_dispositions as (
    select
        lead_id,
        disposition_id as source_id,
        'sales_dispositions' as source_table,
        disposition_at as boundary_at
    from dispositions
    where disposition = 'recycled'
        and disposition_at <= {{ as_of_timestamp() }}
),

lost_opportunities as (
    select
        lead_id,
        opportunity_id as source_id,
        'opportunities' as source_table,
        closed_at as boundary_at
    from opportunities
    where is_won = false
        and closed_at is not null
        and closed_at <= {{ as_of_timestamp() }}
),

unioned as (
    select * from recycled_dispositions
    union all
    select * from lost_opportunities
)

select * from unioned
