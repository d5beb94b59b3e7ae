-- One row per lead that became an MQL at or before as_of: its MQL cohort, the first time it reached
-- each later stage at or after its first MQL, and the days that took. The semantic layer's MQL
-- cohort metrics (mqls, mql_to_sql_rate, median_days_mql_to_sql, ...) are measured here, so they
-- match fct_funnel_cohorts, which counts the same leads (int_mql_leads_converted).

with

mql_leads as (
    select * from {{ ref('int_mql_leads_converted') }}
),

final as (
    select
        lead_id,
        cast(days_mql_to_sal as {{ type_double() }}) as days_mql_to_sal,
        cast(days_mql_to_sql as {{ type_double() }}) as days_mql_to_sql,
        is_sql_within_window,
        is_cohort_mature,
        cohort_month,
        first_mql_at,
        sal_at,
        sql_at,
        opportunity_at,
        customer_at
    from mql_leads
)

select * from final
