-- One row per lifecycle stage event of a lead, at or before as_of (see int_lifecycle_events_unioned).

with

events as (
    select * from {{ ref('int_lifecycle_events_unioned') }}
),

final as (
    select
        lifecycle_event_id,
        lead_id,
        source_id,
        stage,
        source,
        cast(stage_order as {{ dbt.type_int() }}) as stage_order,
        occurred_at
    from events
)

select * from final
