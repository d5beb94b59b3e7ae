-- One row per usable activity at or before as_of of a lead that exists as of then, with its
-- scoring rule (is_scored = false when its type has none: kept, never dropped) and its episode:
-- 1 + the number of the lead's episode boundaries strictly before it. Computed with one running
-- count over the lead's time-ordered events, not a join of activities to boundaries.

with

activities as (
    select * from {{ ref('int_activities_validated') }}
    where quarantine_reason is null
        and occurred_at <= {{ as_of_timestamp() }}
),

leads as (
    select lead_id from {{ ref('int_leads_validated') }}
    where quarantine_reason is null
        and created_at <= {{ as_of_timestamp() }}
),

boundaries as (
    select * from {{ ref('int_episode_boundaries') }}
),

scoring_rules as (
    select * from {{ ref('stg_scoring_rules') }}
),

activities_of_existing_leads as (
    select activities.*
    from activities
    inner join leads
        on activities.lead_id = leads.lead_id
),

timeline as (
    select
        lead_id,
        activity_id,
        activity_type,
        detail,
        occurred_at as event_at,
        0 as is_boundary
    from activities_of_existing_leads
    union all
    select
        lead_id,
        cast(null as {{ dbt.type_string() }}) as activity_id,
        cast(null as {{ dbt.type_string() }}) as activity_type,
        cast(null as {{ dbt.type_string() }}) as detail,
        boundary_at as event_at,
        1 as is_boundary
    from boundaries
),

timeline_numbered as (
    -- At one instant activities sort before boundaries: an activity at the boundary instant
    -- stays in the old episode.
    select
        *,
        1 + sum(is_boundary) over (
            partition by lead_id
            order by event_at, is_boundary
            rows between unbounded preceding and current row
        ) - is_boundary as episode
    from timeline
),

activities_episoded as (
    select
        timeline_numbered.activity_id,
        timeline_numbered.lead_id,
        timeline_numbered.activity_type,
        timeline_numbered.detail,
        scoring_rules.rule_slot,
        scoring_rules.points,
        scoring_rules.max_points,
        scoring_rules.half_life_days,
        timeline_numbered.episode,
        scoring_rules.activity_type is not null as is_scored,
        timeline_numbered.event_at as occurred_at
    from timeline_numbered
    left join scoring_rules
        on timeline_numbered.activity_type = scoring_rules.activity_type
    where timeline_numbered.is_boundary = 0
)

select * from activities_episoded
