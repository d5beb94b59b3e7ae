-- rpt_funnel_rollup agrees with fct_funnel_cohorts: each cohort month row, the all_cohorts row
-- and the mature_cohorts row hold the sums of the matching cohort rows' counts, and a month is
-- mature in both or in neither.

with

cohorts as (
    select * from {{ ref('fct_funnel_cohorts') }}
),

funnel_rollup as (
    select * from {{ ref('rpt_funnel_rollup') }}
),

cohort_rows_labelled as (
    select
        cast(cohort_month as {{ dbt.type_string() }}) as funnel_period_id,
        is_mature,
        mqls,
        sals,
        sqls,
        opportunities,
        customers,
        sqls_within_window
    from cohorts
    union all
    select
        'all_cohorts' as funnel_period_id,
        is_mature,
        mqls,
        sals,
        sqls,
        opportunities,
        customers,
        sqls_within_window
    from cohorts
    union all
    select
        'mature_cohorts' as funnel_period_id,
        is_mature,
        mqls,
        sals,
        sqls,
        opportunities,
        customers,
        sqls_within_window
    from cohorts
    where is_mature
),

expected as (
    select
        funnel_period_id,
        sum(case when is_mature then 0 else 1 end) as immature_rows,
        sum(mqls) as mqls,
        sum(sals) as sals,
        sum(sqls) as sqls,
        sum(opportunities) as opportunities,
        sum(customers) as customers,
        sum(sqls_within_window) as sqls_within_window
    from cohort_rows_labelled
    group by funnel_period_id
),

mismatches as (
    select
        funnel_rollup.funnel_period_id,
        funnel_rollup.mqls,
        expected.mqls as expected_mqls
    from funnel_rollup
    left join expected
        on funnel_rollup.funnel_period_id = expected.funnel_period_id
    where funnel_rollup.mqls <> coalesce(expected.mqls, 0)
        or funnel_rollup.sals <> coalesce(expected.sals, 0)
        or funnel_rollup.sqls <> coalesce(expected.sqls, 0)
        or funnel_rollup.opportunities <> coalesce(expected.opportunities, 0)
        or funnel_rollup.customers <> coalesce(expected.customers, 0)
        or funnel_rollup.sqls_within_window <> coalesce(expected.sqls_within_window, 0)
        or funnel_rollup.is_mature <> (coalesce(expected.immature_rows, 0) = 0)
    union all
    select
        expected.funnel_period_id,
        null as mqls,
        expected.mqls as expected_mqls
    from expected
    left join funnel_rollup
        on expected.funnel_period_id = funnel_rollup.funnel_period_id
    where funnel_rollup.funnel_period_id is null
)

select * from mismatches
