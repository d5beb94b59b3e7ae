-- One row per scored activity at or before as_of: the lead's engagement score right after it
-- and whether it was the lead's MQL moment in its episode.

with

scored_activities as (
    select * from {{ ref('int_activities_scored') }}
),

final as (
    select
        lead_id,
        activity_id,
        activity_type,
        points,
        cast(episode as {{ dbt.type_bigint() }}) as episode,
        engagement_score_after,
        is_mql_event,
        occurred_at
    from scored_activities
)

select * from final
