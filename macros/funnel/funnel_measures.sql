{% macro funnel_counts() %}
    {#- The funnel's counts and medians over a group of MQL leads (rows of int_mql_leads_converted,
        or of it with dimensions): fct_funnel_cohorts and rpt_funnel_rollup aggregate the same
        measures, so their rows reconcile. -#}
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
{%- endmacro %}


{% macro funnel_rates() %}
    {#- The columns of funnel_counts() passed on, with the conversion rates between stages (null
        with a zero denominator), the medians as doubles and the conversion window they count in. -#}
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
        cast({{ run_var('conversion_window_days') }} as {{ dbt.type_bigint() }}) as conversion_window_days
{%- endmacro %}
