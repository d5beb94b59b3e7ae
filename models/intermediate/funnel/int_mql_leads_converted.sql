-- One row per lead that became an MQL at or before as_of: its MQL cohort (the UTC calendar month of
-- its first MQL), the first time it reached each later stage at or after that first MQL, days from
-- the MQL to SAL and SQL, whether it reached SQL within conversion_window_days, and whether its
-- cohort is mature (cohort end + window <= as_of). fct_funnel_cohorts and rpt_funnel_rollup count these.

with

lifecycle_events as (
    select * from {{ ref('int_lifecycle_events_unioned') }}
),

first_mqls as (
    select
        lead_id,
        min(occurred_at) as first_mql_at
    from lifecycle_events
    where stage = 'mql'
    group by lead_id
),

stages_reached_after_first_mql as (
    select
        first_mqls.lead_id,
        first_mqls.first_mql_at,
        min(case when lifecycle_events.stage = 'sal' then lifecycle_events.occurred_at end) as sal_at,
        min(case when lifecycle_events.stage = 'sql' then lifecycle_events.occurred_at end) as sql_at,
        min(case when lifecycle_events.stage = 'opportunity' then lifecycle_events.occurred_at end) as opportunity_at,
        min(case when lifecycle_events.stage = 'customer' then lifecycle_events.occurred_at end) as customer_at
    from first_mqls
    left join lifecycle_events
        on first_mqls.lead_id = lifecycle_events.lead_id
            and first_mqls.first_mql_at <= lifecycle_events.occurred_at
    group by
        first_mqls.lead_id,
        first_mqls.first_mql_at
),

cohorts_assigned as (
    select
        lead_id,
        cast({{ dbt.date_trunc('month', 'first_mql_at') }} as date) as cohort_month,
        first_mql_at,
        sal_at,
        sql_at,
        opportunity_at,
        customer_at
    from stages_reached_after_first_mql
),

conversions_measured as (
    select
        lead_id,
        ({{ epoch_seconds('sal_at') }} - {{ epoch_seconds('first_mql_at') }}) / 86400.0 as days_mql_to_sal,
        ({{ epoch_seconds('sql_at') }} - {{ epoch_seconds('first_mql_at') }}) / 86400.0 as days_mql_to_sql,
        coalesce(
            sql_at <= {{ dbt.dateadd('day', run_var('conversion_window_days'), 'first_mql_at') }}, false
        ) as is_sql_within_window,
        {{ dbt.dateadd(
            'day',
            run_var('conversion_window_days'),
            dbt.dateadd('month', 1, 'cast(cohort_month as ' ~ dbt.type_timestamp() ~ ')')
        ) }} <= {{ as_of_timestamp() }} as is_cohort_mature,
        cohort_month,
        first_mql_at,
        sal_at,
        sql_at,
        opportunity_at,
        customer_at
    from cohorts_assigned
)

select * from conversions_measured
