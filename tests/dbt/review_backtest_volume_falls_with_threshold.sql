-- A higher threshold never gives more MQLs: each episode reaches it later or never. Rows returned
-- are thresholds with more MQLs (evaluated or to date) than the next lower threshold.

with

backtest as (
    select * from {{ ref('rpt_threshold_backtest') }}
),

with_lower_threshold as (
    select
        mql_threshold,
        mql_count,
        mql_count_to_date,
        lag(mql_count) over (order by mql_threshold) as lower_threshold_mql_count,
        lag(mql_count_to_date) over (order by mql_threshold) as lower_threshold_mql_count_to_date
    from backtest
),

violations as (
    select *
    from with_lower_threshold
    where mql_count > lower_threshold_mql_count
        or mql_count_to_date > lower_threshold_mql_count_to_date
)

select * from violations
