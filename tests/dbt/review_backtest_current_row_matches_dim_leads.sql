-- rpt_threshold_backtest has exactly one current-threshold row, and its MQLs to date are
-- dim_leads' MQLs (total and leads with one). Any row returned is a mismatch.

with

backtest as (
    select * from {{ ref('rpt_threshold_backtest') }}
),

leads as (
    select * from {{ ref('dim_leads') }}
),

warehouse_totals as (
    select
        coalesce(sum(mql_count), 0) as mql_count_to_date,
        sum(case when mql_count > 0 then 1 else 0 end) as mql_lead_count_to_date
    from leads
),

current_rows as (
    select
        count(*) as current_row_count,
        max(mql_count_to_date) as mql_count_to_date,
        max(mql_lead_count_to_date) as mql_lead_count_to_date
    from backtest
    where is_current_threshold
),

mismatches as (
    select
        current_rows.current_row_count,
        current_rows.mql_count_to_date,
        warehouse_totals.mql_count_to_date as warehouse_mql_count
    from current_rows
    cross join warehouse_totals
    where current_rows.current_row_count <> 1
        or current_rows.mql_count_to_date <> warehouse_totals.mql_count_to_date
        or current_rows.mql_lead_count_to_date <> coalesce(warehouse_totals.mql_lead_count_to_date, 0)
)

select * from mismatches
