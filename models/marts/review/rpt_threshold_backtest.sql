-- One row per MQL threshold of the backtest grid (int_mql_thresholds_listed; the current
-- var mql_threshold is always in it and flagged): had the threshold been this, how many MQLs
-- per month, what share of them reached SQL within the conversion window (precision), what share
-- of SQLs had an MQL first (recall), and F1. Scores and rules are the current ones; only the
-- threshold changes. The evaluated period runs up to as_of minus the conversion window, so every
-- MQL and SQL in it has had its full window. See docs/mql_review.md.

{%- set window_days = run_var('conversion_window_days') %}

{#- int_mql_moments_backtested (a row per lead, episode and threshold: millions) is read where it is
    used, not through a CTE: DuckDB materializes a CTE read more than once, every row written again. -#}
{%- set mql_moments = ref('int_mql_moments_backtested') %}

with

thresholds as (
    select * from {{ ref('int_mql_thresholds_listed') }}
),

leads as (
    select * from {{ ref('int_leads_validated') }}
    where quarantine_reason is null
        and created_at <= {{ as_of_timestamp() }}
),

lifecycle_events as (
    select * from {{ ref('int_lifecycle_events_unioned') }}
),

period_bounds as (
    select
        min(created_at) as period_start_at,
        {{ dbt.dateadd('day', -1 * window_days, as_of_timestamp()) }} as period_end_at
    from leads
),

evaluated_period as (
    -- Months of 30.4375 days from the first lead to as_of minus the window (0 when none).
    select
        period_start_at,
        period_end_at,
        greatest(
            0.0,
            {{ epoch_seconds('period_end_at') }} - {{ epoch_seconds('period_start_at') }}
        ) / (86400.0 * 30.4375) as months_evaluated
    from period_bounds
),

sql_events as (
    -- Every SQL (first or later qualified disposition) at or before as_of.
    select
        lifecycle_event_id,
        lead_id,
        occurred_at as sql_at
    from lifecycle_events
    where stage = 'sql'
),

evaluated_sql_events as (
    select sql_events.*
    from sql_events
    cross join evaluated_period
    where sql_events.sql_at <= evaluated_period.period_end_at
),

mqls_reaching_sql as (
    -- Each evaluated MQL (one row per lead, episode and threshold) that the lead followed with an
    -- SQL within the window. Only the MQLs with an SQL after them are joined and de-duplicated,
    -- not every MQL grouped.
    select distinct
        evaluated_mqls.lead_id,
        evaluated_mqls.episode,
        evaluated_mqls.mql_threshold
    from {{ mql_moments }} as evaluated_mqls
    cross join evaluated_period
    inner join sql_events
        on evaluated_mqls.lead_id = sql_events.lead_id
            and evaluated_mqls.mql_at <= sql_events.sql_at
            and {{ dbt.dateadd('day', window_days, 'evaluated_mqls.mql_at') }} >= sql_events.sql_at
    where evaluated_mqls.mql_at <= evaluated_period.period_end_at
),

mql_reached_totals as (
    select
        mql_threshold,
        count(*) as mql_reached_sql_count
    from mqls_reaching_sql
    group by mql_threshold
),

sql_totals as (
    -- Every evaluated SQL counts at every threshold.
    select count(*) as sql_count
    from evaluated_sql_events
),

sql_after_mql_totals as (
    -- At each threshold, the evaluated SQLs with an MQL within the window before them.
    select
        mql_moments.mql_threshold,
        count(distinct evaluated_sql_events.lifecycle_event_id) as sql_after_mql_count
    from evaluated_sql_events
    inner join {{ mql_moments }} as mql_moments
        on evaluated_sql_events.lead_id = mql_moments.lead_id
            and evaluated_sql_events.sql_at >= mql_moments.mql_at
            and evaluated_sql_events.sql_at <= {{ dbt.dateadd('day', window_days, 'mql_moments.mql_at') }}
    group by mql_moments.mql_threshold
),

mql_totals as (
    -- MQLs in the evaluated period (mql_count) and to date, in one read of the moments.
    select
        mql_moments.mql_threshold,
        sum(case when mql_moments.mql_at <= evaluated_period.period_end_at then 1 else 0 end) as mql_count,
        count(*) as mql_count_to_date
    from {{ mql_moments }} as mql_moments
    cross join evaluated_period
    group by mql_moments.mql_threshold
),

repeated_mqls as (
    -- A lead's MQLs at a threshold after its first episode with one there (recycled leads: few,
    -- the hash join's build side), so that MQL leads count as MQLs minus these instead of a
    -- distinct over every MQL.
    select distinct
        later_mqls.mql_threshold,
        later_mqls.lead_id,
        later_mqls.episode
    from {{ mql_moments }} as later_mqls
    inner join {{ mql_moments }} as earlier_mqls
        on later_mqls.lead_id = earlier_mqls.lead_id
            and later_mqls.mql_threshold = earlier_mqls.mql_threshold
            and later_mqls.episode > earlier_mqls.episode
    where later_mqls.episode > 1
),

repeated_mql_totals as (
    select
        mql_threshold,
        count(*) as repeated_mql_count
    from repeated_mqls
    group by mql_threshold
),

counted as (
    select
        thresholds.mql_threshold,
        coalesce(mql_totals.mql_count, 0) as mql_count,
        coalesce(mql_reached_totals.mql_reached_sql_count, 0) as mql_reached_sql_count,
        sql_totals.sql_count,
        coalesce(sql_after_mql_totals.sql_after_mql_count, 0) as sql_after_mql_count,
        coalesce(mql_totals.mql_count_to_date, 0) as mql_count_to_date,
        coalesce(mql_totals.mql_count_to_date, 0) - coalesce(repeated_mql_totals.repeated_mql_count, 0)
            as mql_lead_count_to_date,
        evaluated_period.months_evaluated,
        thresholds.is_current_threshold,
        evaluated_period.period_start_at,
        evaluated_period.period_end_at
    from thresholds
    cross join evaluated_period
    cross join sql_totals
    left join mql_totals
        on thresholds.mql_threshold = mql_totals.mql_threshold
    left join mql_reached_totals
        on thresholds.mql_threshold = mql_reached_totals.mql_threshold
    left join sql_after_mql_totals
        on thresholds.mql_threshold = sql_after_mql_totals.mql_threshold
    left join repeated_mql_totals
        on thresholds.mql_threshold = repeated_mql_totals.mql_threshold
),

rates as (
    select
        *,
        cast(mql_reached_sql_count as {{ type_double() }})
        / cast(nullif(mql_count, 0) as {{ type_double() }}) as precision_rate,
        cast(sql_after_mql_count as {{ type_double() }})
        / cast(nullif(sql_count, 0) as {{ type_double() }}) as recall_rate
    from counted
),

final as (
    select
        mql_threshold,
        cast(mql_count as {{ dbt.type_bigint() }}) as mql_count,
        {{ round_decimals('mql_count / nullif(months_evaluated, 0.0)', 6) }} as mqls_per_month,
        cast(mql_reached_sql_count as {{ dbt.type_bigint() }}) as mql_reached_sql_count,
        {{ round_decimals('precision_rate', 6) }} as precision_rate,
        cast(sql_count as {{ dbt.type_bigint() }}) as sql_count,
        cast(sql_after_mql_count as {{ dbt.type_bigint() }}) as sql_after_mql_count,
        {{ round_decimals('recall_rate', 6) }} as recall_rate,
        {{ round_decimals(
            'case
                when precision_rate + recall_rate > 0
                    then 2.0 * precision_rate * recall_rate / (precision_rate + recall_rate)
                when precision_rate is not null and recall_rate is not null then 0.0
            end',
            6
        ) }} as f1_score,
        cast(mql_count_to_date as {{ dbt.type_bigint() }}) as mql_count_to_date,
        cast(mql_lead_count_to_date as {{ dbt.type_bigint() }}) as mql_lead_count_to_date,
        {{ round_decimals('months_evaluated', 6) }} as months_evaluated,
        cast({{ window_days }} as {{ dbt.type_int() }}) as conversion_window_days,
        is_current_threshold,
        period_start_at,
        period_end_at,
        {{ as_of_timestamp() }} as scored_as_of
    from rates
)

select * from final
