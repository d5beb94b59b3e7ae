-- One row per ICP-fit lead that exists at as_of: the instant its activities are observed up to
-- (its first MQL, or review_observation_days after creation when it never became an MQL), the
-- end of its conversion window after that, whether that window has elapsed by as_of (mature)
-- and whether it reached SQL by the window's end. The population of rpt_activity_lift.

{%- set observation_days = run_var('review_observation_days', 30) %}
{%- set window_days = run_var('conversion_window_days') %}

with

leads as (
    select * from {{ ref('int_leads_validated') }}
    where quarantine_reason is null
        and created_at <= {{ as_of_timestamp() }}
),

lead_fit as (
    select * from {{ ref('int_leads_fit_scored') }}
),

lifecycle_events as (
    select * from {{ ref('int_lifecycle_events_unioned') }}
),

first_stages as (
    select
        lead_id,
        min(case when stage = 'mql' then occurred_at end) as first_mql_at,
        min(case when stage = 'sql' then occurred_at end) as sql_at
    from lifecycle_events
    group by lead_id
),

icp_fit_leads as (
    select
        leads.lead_id,
        leads.created_at,
        first_stages.first_mql_at,
        first_stages.sql_at
    from leads
    inner join lead_fit
        on leads.lead_id = lead_fit.lead_id
    left join first_stages
        on leads.lead_id = first_stages.lead_id
    where lead_fit.is_icp_fit
),

observed as (
    select
        *,
        coalesce(
            first_mql_at,
            {{ dbt.dateadd('day', observation_days, 'created_at') }}
        ) as observed_until_at
    from icp_fit_leads
),

windowed as (
    select
        *,
        {{ dbt.dateadd('day', window_days, 'observed_until_at') }} as window_end_at
    from observed
),

final as (
    select
        lead_id,
        first_mql_at is not null as has_mql,
        window_end_at <= {{ as_of_timestamp() }} as is_mature,
        coalesce(sql_at <= window_end_at, false) as is_sql_within_window,
        created_at,
        first_mql_at,
        sql_at,
        observed_until_at,
        window_end_at
    from windowed
)

select * from final
