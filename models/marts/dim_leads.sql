-- One row per lead that exists at as_of: firmographic fit, exclusion, engagement score at as_of,
-- MQL moments, the first time each lifecycle stage was reached, and the current stage.

with

leads as (
    select * from {{ ref('int_leads_validated') }}
    where quarantine_reason is null
        and created_at <= {{ as_of_timestamp() }}
),

fit as (
    select * from {{ ref('int_leads_fit_scored') }}
),


boundaries as (
    select * from {{ ref('int_episode_boundaries') }}
),

lifecycle_events as (
    select * from {{ ref('int_lifecycle_events_unioned') }}
),

current_episodes as (
    select
        lead_id,
        1 + count(*) as current_episode
    from boundaries
    group by lead_id
),

stage_reached as (
    select
        lead_id,
        sum(case when stage = 'mql' then 1 else 0 end) as mql_count,
        min(case when stage = 'mql' then occurred_at end) as first_mql_at,
        max(case when stage = 'mql' then occurred_at end) as latest_mql_at,
        min(case when stage = 'sal' then occurred_at end) as sal_at,
        min(case when stage = 'sql' then occurred_at end) as sql_at,
        min(case when stage = 'opportunity' then occurred_at end) as opportunity_at,
        min(case when stage = 'customer' then occurred_at end) as customer_at,
        -- The current stage: the latest event's, ties by stage_order (the later stage in SPEC order).
        {{ value_of_greatest('stage', ['occurred_at', 'stage_order']) }} as lifecycle_stage
    from lifecycle_events
    group by lead_id
),

episode_last_scores as (
    select
        lead_id,
        episode,
        episode_score_at_as_of
    from {{ ref('int_episode_scores_at_as_of') }}
),

final as (
    select
        leads.lead_id,
        leads.account_id,
        leads.email_domain,
        leads.job_title,
        leads.lead_source,
        leads.country,
        fit.job_seniority,
        fit.fit_grade,
        fit.exclusion_reason,
        stage_reached.lifecycle_stage,
        fit.fit_score,
        coalesce(episode_last_scores.episode_score_at_as_of, 0.0) as engagement_score,
        cast(coalesce(current_episodes.current_episode, 1) as {{ dbt.type_bigint() }}) as current_episode,
        cast(coalesce(stage_reached.mql_count, 0) as {{ dbt.type_bigint() }}) as mql_count,
        fit.is_excluded,
        fit.is_icp_fit,
        leads.created_at,
        stage_reached.first_mql_at,
        stage_reached.latest_mql_at,
        stage_reached.sal_at,
        stage_reached.sql_at,
        stage_reached.opportunity_at,
        stage_reached.customer_at,
        {{ as_of_timestamp() }} as scored_as_of
    from leads
    left join fit
        on leads.lead_id = fit.lead_id
    left join current_episodes
        on leads.lead_id = current_episodes.lead_id
    left join stage_reached
        on leads.lead_id = stage_reached.lead_id
    left join episode_last_scores
        on leads.lead_id = episode_last_scores.lead_id
            and coalesce(current_episodes.current_episode, 1) = episode_last_scores.episode
)

select * from final
