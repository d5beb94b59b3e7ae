-- fct_funnel_cohorts stage counts equal, per cohort month x lead_source x fit_grade, the leads
-- with a lifecycle event of that stage at or after their first MQL in fct_lifecycle_events.

with

leads as (
    select * from {{ ref('dim_leads') }}
),

events as (
    select * from {{ ref('fct_lifecycle_events') }}
),

cohorts as (
    select * from {{ ref('fct_funnel_cohorts') }}
),

stage_leads as (
    select distinct
        leads.lead_id,
        leads.lead_source,
        leads.fit_grade,
        events.stage,
        cast({{ dbt.date_trunc('month', 'leads.first_mql_at') }} as date) as cohort_month
    from leads
    inner join events
        on leads.lead_id = events.lead_id
            and leads.first_mql_at <= events.occurred_at
    where events.stage in ('sal', 'sql', 'opportunity', 'customer')
),

stage_counts as (
    select
        cohort_month,
        lead_source,
        fit_grade,
        count(case when stage = 'sal' then lead_id end) as sals,
        count(case when stage = 'sql' then lead_id end) as sqls,
        count(case when stage = 'opportunity' then lead_id end) as opportunities,
        count(case when stage = 'customer' then lead_id end) as customers
    from stage_leads
    group by
        cohort_month,
        lead_source,
        fit_grade
),

mismatches as (
    select
        cohorts.funnel_cohort_id,
        cohorts.sals,
        stage_counts.sals as event_sals,
        cohorts.sqls,
        stage_counts.sqls as event_sqls
    from cohorts
    left join stage_counts
        on cohorts.cohort_month = stage_counts.cohort_month
            and cohorts.lead_source = stage_counts.lead_source
            and cohorts.fit_grade = stage_counts.fit_grade
    where cohorts.sals <> coalesce(stage_counts.sals, 0)
        or cohorts.sqls <> coalesce(stage_counts.sqls, 0)
        or cohorts.opportunities <> coalesce(stage_counts.opportunities, 0)
        or cohorts.customers <> coalesce(stage_counts.customers, 0)
)

select * from mismatches
