-- One row per MQL cohort month x lead_source x fit_grade: how many leads first became an MQL in
-- that month, how many of them went on to SAL, SQL, opportunity and customer (at or after their
-- first MQL), the conversion rates between those stages, the within-window MQL -> SQL rate,
-- cohort maturity and median days MQL -> SAL / SQL. Rates with a zero denominator are null.

with

mql_leads as (
    select * from {{ ref('int_mql_leads_converted') }}
),

leads as (
    select * from {{ ref('dim_leads') }}
),

mql_leads_segmented as (
    select
        mql_leads.lead_id,
        leads.lead_source,
        leads.fit_grade,
        mql_leads.days_mql_to_sal,
        mql_leads.days_mql_to_sql,
        mql_leads.is_sql_within_window,
        mql_leads.is_cohort_mature,
        mql_leads.cohort_month,
        mql_leads.sal_at,
        mql_leads.sql_at,
        mql_leads.opportunity_at,
        mql_leads.customer_at
    from mql_leads
    inner join leads
        on mql_leads.lead_id = leads.lead_id
),

cohorts_counted as (
    select
        cohort_month,
        lead_source,
        fit_grade,
        is_cohort_mature,
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
    from mql_leads_segmented
    group by
        cohort_month,
        lead_source,
        fit_grade,
        is_cohort_mature
),

cohorts_rated as (
    select
        {{ dbt.concat([
            'cast(cohort_month as ' ~ dbt.type_string() ~ ')', "':'", 'lead_source', "':'", 'fit_grade'
        ]) }} as funnel_cohort_id,
        lead_source,
        fit_grade,
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
        is_cohort_mature as is_mature,
        cohort_month,
        {{ as_of_timestamp() }} as scored_as_of
    from cohorts_counted
)

select * from cohorts_rated
