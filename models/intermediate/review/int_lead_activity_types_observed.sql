-- One row per lead of int_leads_lift_observed and activity type the lead did at or before its
-- observed_until_at (scored or not, any episode): how many times. Feeds rpt_activity_lift and
-- the points calibration of scripts/review_criteria.py.

with

observed_leads as (
    select * from {{ ref('int_leads_lift_observed') }}
),

activities as (
    select * from {{ ref('int_activities_episoded') }}
),

observed_activities as (
    select
        activities.lead_id,
        activities.activity_type,
        activities.is_scored
    from activities
    inner join observed_leads
        on activities.lead_id = observed_leads.lead_id
    where activities.occurred_at <= observed_leads.observed_until_at
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
