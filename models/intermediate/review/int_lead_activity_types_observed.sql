-- One row per lead of int_leads_lift_observed and activity type the lead did at or before its
-- observed_until_at (scored or not, any episode): how many times. Feeds rpt_activity_lift and
-- the points calibration of scripts/review_criteria.py.
--
-- Incremental like the scoring models (docs/decisions.md, "Incremental runs"): a lead's rows only
-- depend on its observed_until_at and its rows in int_activities_episoded, so a run counts again
-- only the leads whose window moved (against int_lead_observation_windows, the previous build's
-- windows), the leads the plan recomputes or removes, and the leads with activities this run
-- numbered (macro observed_leads_recounted); its pre-hook drops their rows first (a lead that left
-- the population is one: the plan recomputes or removes it). Their activities are read by lead
-- (rows_of_leads), not by a scan of every activity.
-- depends_on: {{ ref('int_lead_rescore_plan') }}

{{ config(
    materialized=scoring_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_recounted_observed_leads() }}"
) }}

{#- In an incremental run, the activities of the leads counted again, found by lead (not by a
    read of every activity); all of them in a full build. -#}
{%- set recounted_rows = rows_of_leads(ref('int_activities_episoded'), 'activities',
                                       'select lead_id from recounted_leads') if is_incremental() else 'true' %}

with

observed_leads as (
    select * from {{ ref('int_leads_lift_observed') }}
),

{%- if is_incremental() %}

    recounted_leads as {{ materialized_cte() }} (  -- noqa: ST03
        {{ observed_leads_recounted() | indent(8) }}
    ),
{%- endif %}

observed_activities as (
    select
        activities.lead_id,
        activities.activity_type,
        activities.is_scored
    from {{ ref('int_activities_episoded') }} as activities
    inner join observed_leads
        on activities.lead_id = observed_leads.lead_id
    where
        activities.occurred_at <= observed_leads.observed_until_at
        and {{ recounted_rows }}
),

counted as (
    select
        lead_id,
        activity_type,
        count(*) as activity_count,
        is_scored
    from observed_activities
    group by lead_id, activity_type, is_scored
)

select * from counted
