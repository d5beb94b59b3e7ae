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
        {{ funnel_counts() }}
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
        {{ funnel_rates() }},
        is_cohort_mature as is_mature,
        cohort_month,
        {{ as_of_timestamp() }} as scored_as_of
    from cohorts_counted
)

select * from cohorts_rated
