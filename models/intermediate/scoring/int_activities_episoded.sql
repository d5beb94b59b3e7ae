-- One row per usable activity at or before as_of of a lead that exists as of then, with its
-- scoring rule (is_scored = false when its type has none: kept, never dropped) and its episode:
-- 1 + the number of the lead's episode boundaries strictly before it. Computed with one running
-- count over the lead's time-ordered events, not a join of activities to boundaries; only the
-- leads with a boundary go through it (most leads have none: all their activities are episode 1,
-- and sorting their rows would be most of the model's time).
--
-- Incremental (int_lead_rescore_plan): a run adds the activities after the previous build's
-- as_of of the leads it extends, and every activity of the leads it recomputes (their old rows
-- are deleted first). An activity's episode only depends on the boundaries before it, and every
-- boundary of a lead takes part, so a lead's new activities are numbered right on their own.
-- The rows are appended: a recomputed lead's old rows are gone (pre-hook), and an extended lead
-- has none after the previous as_of. written_by (the run's invocation_id) lets
-- int_activities_scored find this run's rows without reading the others.
-- depends_on: {{ ref('int_lead_rescore_plan') }}

{{ config(
    materialized=scoring_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_rescored_leads() }}"
) }}

with

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

bounded_leads as (
    select distinct lead_id from boundaries
),

{%- if is_incremental() %}

    -- The activities this run numbers, found once for both branches below (activities_sql): the
    -- pruned scan of the extended leads' new rows, and one scan for the recomputed leads' rows.
    rescored_validated as {{ materialized_cte() }} (  -- noqa: ST03
        {{ rescored_rows(ref('int_activities_validated'), 'validated') | indent(8) }}
    ),
{%- endif %}

{#- The activities of existing leads, as SQL text: the two branches below read them on their own
    (a CTE read twice is materialized by DuckDB, every activity written once more; in a full
    build, every activity). -#}
{%- set activities_sql -%}
select
    validated.activity_id,
    validated.lead_id,
    validated.activity_type,
    validated.occurred_at,
    bounded_leads.lead_id is not null as has_boundaries
from {{ 'rescored_validated' if is_incremental() else ref('int_activities_validated') }} as validated
inner join leads
    on validated.lead_id = leads.lead_id
left join bounded_leads
    on validated.lead_id = bounded_leads.lead_id
where
    validated.quarantine_reason is null
    and validated.occurred_at <= {{ as_of_timestamp() }}
{%- endset %}

timeline as (
    select
        lead_id,
        activity_id,
        activity_type,
        occurred_at as event_at,
        0 as is_boundary
    from (
        {{ activities_sql | indent(8) }}
    ) as activities_of_existing_leads
    where has_boundaries
    union all
    select
        lead_id,
        cast(null as {{ dbt.type_string() }}) as activity_id,
        cast(null as {{ dbt.type_string() }}) as activity_type,
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

activities_numbered as (
    select
        activity_id,
        lead_id,
        activity_type,
        event_at,
        episode
    from timeline_numbered
    where is_boundary = 0
    union all
    -- A lead without boundaries has one episode.
    select
        activity_id,
        lead_id,
        activity_type,
        occurred_at as event_at,
        1 as episode
    from (
        {{ activities_sql | indent(8) }}
    ) as activities_of_existing_leads
    where not has_boundaries
),

activities_episoded as (
    select
        activities_numbered.activity_id,
        activities_numbered.lead_id,
        activities_numbered.activity_type,
        scoring_rules.rule_slot,
        scoring_rules.points,
        scoring_rules.max_points,
        scoring_rules.half_life_days,
        activities_numbered.episode,
        scoring_rules.activity_type is not null as is_scored,
        activities_numbered.event_at as occurred_at,
        {{ written_by_this_run() }} as written_by
    from activities_numbered
    left join scoring_rules
        on activities_numbered.activity_type = scoring_rules.activity_type
)

select * from activities_episoded
