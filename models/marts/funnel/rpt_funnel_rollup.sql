-- The MQL funnel without the lead_source and fit_grade dimensions, so BI tools never re-aggregate
-- rates or medians: one row per MQL cohort month, plus two pooled rows over every cohort
-- ('all_cohorts') and over the mature cohorts only ('mature_cohorts'; compare rates here). The
-- pooled rows are always present: on an empty warehouse their counts are 0 and their rates null.

with

mql_leads as (
    select * from {{ ref('int_mql_leads_converted') }}
),

cohort_months_counted as (
    select
        'cohort_month' as period_type,
        count(distinct cohort_month) as cohort_month_count,
        is_cohort_mature as is_mature,
        cohort_month,
        min(cohort_month) as first_cohort_month,
        max(cohort_month) as last_cohort_month,
        {{ funnel_counts() }}
    from mql_leads
    group by
        cohort_month,
        is_cohort_mature
),

all_cohorts_counted as (
    select
        'all_cohorts' as period_type,
        count(distinct cohort_month) as cohort_month_count,
        coalesce(sum(case when is_cohort_mature then 0 else 1 end), 0) = 0 as is_mature,
        cast(null as date) as cohort_month,
        min(cohort_month) as first_cohort_month,
        max(cohort_month) as last_cohort_month,
        {{ funnel_counts() }}
    from mql_leads
),

mature_cohorts_counted as (
    select
        'mature_cohorts' as period_type,
        count(distinct cohort_month) as cohort_month_count,
        true as is_mature,
        cast(null as date) as cohort_month,
        min(cohort_month) as first_cohort_month,
        max(cohort_month) as last_cohort_month,
        {{ funnel_counts() }}
    from mql_leads
    where is_cohort_mature
),

periods_unioned as (
    select * from cohort_months_counted
    union all
    select * from all_cohorts_counted
    union all
    select * from mature_cohorts_counted
),

periods_rated as (
    select
        case
            when period_type = 'cohort_month' then cast(cohort_month as {{ dbt.type_string() }})
            else period_type
        end as funnel_period_id,
        period_type,
        cohort_month_count,
        {{ funnel_rates() }},
        is_mature,
        cohort_month,
        first_cohort_month,
        last_cohort_month,
        {{ as_of_timestamp() }} as scored_as_of
    from periods_unioned
)

select * from periods_rated
