-- The MQL funnel without the lead_source and fit_grade dimensions, so BI tools never re-aggregate
-- rates or medians: one row per MQL cohort month, plus two pooled rows over every cohort
-- ('all_cohorts') and over the mature cohorts only ('mature_cohorts'; compare rates here). The
-- pooled rows are always present: on an empty warehouse their counts are 0 and their rates null.

{% set funnel_counts %}
        count(*) as mqls,
        count(sal_at) as sals,
        count(sql_at) as sqls,
        count(opportunity_at) as opportunities,
        count(customer_at) as customers,
        count(case when sal_at is not null and sql_at is not null then lead_id end) as sals_reaching_sql,
        count(case when sql_at is not null and opportunity_at is not null then lead_id end)
            as sqls_reaching_opportunity,
        count(case when opportunity_at is not null and customer_at is not null then lead_id end)
            as opportunities_reaching_customer,
        count(case when is_sql_within_window then lead_id end) as sqls_within_window,
        {{ median('days_mql_to_sal') }} as median_days_mql_to_sal,
        {{ median('days_mql_to_sql') }} as median_days_mql_to_sql
{% endset %}

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
        {{ funnel_counts }}
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
        {{ funnel_counts }}
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
        {{ funnel_counts }}
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
        mqls,
        sals,
        sqls,
        opportunities,
        customers,
        sals_reaching_sql,
        sqls_reaching_opportunity,
        opportunities_reaching_customer,
        sqls_within_window,
        cast(sals as {{ type_double() }}) / nullif(mqls, 0) as mql_to_sal_rate,
        cast(sals_reaching_sql as {{ type_double() }}) / nullif(sals, 0) as sal_to_sql_rate,
        cast(sqls_reaching_opportunity as {{ type_double() }}) / nullif(sqls, 0) as sql_to_opportunity_rate,
        cast(opportunities_reaching_customer as {{ type_double() }})
        / nullif(opportunities, 0) as opportunity_to_customer_rate,
        cast(sqls as {{ type_double() }}) / nullif(mqls, 0) as mql_to_sql_rate,
        cast(sqls_within_window as {{ type_double() }}) / nullif(mqls, 0) as mql_to_sql_rate_window,
        cast(median_days_mql_to_sal as {{ type_double() }}) as median_days_mql_to_sal,
        cast(median_days_mql_to_sql as {{ type_double() }}) as median_days_mql_to_sql,
        cast({{ run_var('conversion_window_days') }} as {{ dbt.type_bigint() }}) as conversion_window_days,
        is_mature,
        cohort_month,
        first_cohort_month,
        last_cohort_month,
        {{ as_of_timestamp() }} as scored_as_of
    from periods_unioned
)

select * from periods_rated
