-- fct_funnel_cohorts agrees with dim_leads: per cohort month x lead_source x fit_grade, mqls is the
-- number of leads whose first_mql_at falls in that month (so the sum of mqls = leads with a
-- first_mql_at), and each later stage count lies between the leads whose first time reaching it
-- (dim_leads) is at or after their first MQL and the leads that ever reached it.

with

leads as (
    select * from {{ ref('dim_leads') }}
),

cohorts as (
    select * from {{ ref('fct_funnel_cohorts') }}
),

mql_leads_by_cohort as (
    select
        cast({{ dbt.date_trunc('month', 'first_mql_at') }} as date) as cohort_month,
        lead_source,
        fit_grade,
        count(*) as mqls,
        count(case when sal_at >= first_mql_at then lead_id end) as sals_min,
        count(case when sql_at >= first_mql_at then lead_id end) as sqls_min,
        count(case when opportunity_at >= first_mql_at then lead_id end) as opportunities_min,
        count(case when customer_at >= first_mql_at then lead_id end) as customers_min,
        count(sal_at) as sals_max,
        count(sql_at) as sqls_max,
        count(opportunity_at) as opportunities_max,
        count(customer_at) as customers_max
    from leads
    where first_mql_at is not null
    group by
        cast({{ dbt.date_trunc('month', 'first_mql_at') }} as date),
        lead_source,
        fit_grade
),

mismatches as (
    select
        coalesce(cohorts.cohort_month, mql_leads_by_cohort.cohort_month) as cohort_month,
        coalesce(cohorts.lead_source, mql_leads_by_cohort.lead_source) as lead_source,
        coalesce(cohorts.fit_grade, mql_leads_by_cohort.fit_grade) as fit_grade,
        cohorts.mqls as funnel_mqls,
        mql_leads_by_cohort.mqls as dim_leads_mqls
    from cohorts
    full outer join mql_leads_by_cohort
        on cohorts.cohort_month = mql_leads_by_cohort.cohort_month
            and cohorts.lead_source = mql_leads_by_cohort.lead_source
            and cohorts.fit_grade = mql_leads_by_cohort.fit_grade
    where cohorts.mqls is null
        or mql_leads_by_cohort.mqls is null
        or cohorts.mqls <> mql_leads_by_cohort.mqls
        or cohorts.sals not between mql_leads_by_cohort.sals_min and mql_leads_by_cohort.sals_max
        or cohorts.sqls not between mql_leads_by_cohort.sqls_min and mql_leads_by_cohort.sqls_max
        or cohorts.opportunities
        not between mql_leads_by_cohort.opportunities_min and mql_leads_by_cohort.opportunities_max
        or cohorts.customers not between mql_leads_by_cohort.customers_min and mql_leads_by_cohort.customers_max
)

select * from mismatches
