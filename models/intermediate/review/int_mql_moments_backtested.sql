-- One row per lead, scoring episode and backtest threshold at which the episode reaches MQL:
-- the instant (and activity) it would have become an MQL had var mql_threshold been that
-- threshold. Scores do not depend on the threshold, so this re-reads int_activities_scored:
-- the MQL moment at threshold T is the episode's first row with engagement_score_after >=
-- T - 1e-9 while the lead is ICP fit and not disqualified (is_mql_eligible: the rule of
-- int_activities_scored, minus the threshold). At the current threshold it reproduces
-- is_mql_event exactly (data test).
--
-- Linear in activities, and no window: a row can only be the MQL moment for thresholds above the
-- best score of the eligible rows before it in the episode (int_activities_scored keeps it, and
-- the eligibility, on every row) and at most its own score, so only rows that set a new best
-- score are joined to the (small) threshold grid, each to the thresholds in
-- (best before + 1e-9, own score + 1e-9].

-- Incremental like the scoring models (int_lead_rescore_plan, docs/decisions.md): a run drops
-- the rows of the leads the plan recomputes or removes, and adds those of the activities this
-- run scored: every one of a recomputed lead, those after the previous as_of of an extended
-- lead (its earlier rows do not change). The plan recomputes every lead when the grid changes.
-- depends_on: {{ ref('int_lead_rescore_plan') }}

{{ config(
    materialized=scoring_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_rescored_leads() }}"
) }}

{%- set incremental = is_incremental() %}

with

scored_activities as (
    {%- if incremental %}
        -- The activities this run scored: every one of the recomputed leads, those after the
        -- previous as_of of the extended leads.
        {{ rows_written_this_run(ref('int_activities_scored'), 'scored') }}
    {%- else %}
        select * from {{ ref('int_activities_scored') }}
    {%- endif %}
),

thresholds as (
    select * from {{ ref('int_mql_thresholds_listed') }}
),

new_best_scores as (
    -- Eligible rows whose score beats every earlier eligible row of the episode (-1: none yet;
    -- scores are never negative).
    select
        lead_id,
        activity_id,
        episode,
        engagement_score_after,
        coalesce(best_eligible_score_before, -1.0) as best_eligible_score_before,
        occurred_at
    from scored_activities
    where is_mql_eligible
        and engagement_score_after > coalesce(best_eligible_score_before, -1.0)
),

mql_moments as (
    select
        new_best_scores.lead_id,
        new_best_scores.activity_id,
        new_best_scores.episode,
        thresholds.mql_threshold,
        new_best_scores.engagement_score_after,
        thresholds.is_current_threshold,
        new_best_scores.occurred_at as mql_at
    from new_best_scores
    inner join thresholds
        on new_best_scores.engagement_score_after >= thresholds.mql_threshold - 1e-9
            and new_best_scores.best_eligible_score_before < thresholds.mql_threshold - 1e-9
)

select * from mql_moments
