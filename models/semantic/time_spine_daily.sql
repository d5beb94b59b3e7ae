-- One row per calendar day from 2015-01-01 to 2035-12-31: the time spine MetricFlow joins metrics
-- to (metric_time). Ten digits cross-joined four times give 10,000 day offsets, so the SQL is the
-- same on every engine (no generate_series); dbt.dateadd hides the date arithmetic.

with

digits as (
    select 0 as digit
    union all
    select 1 as digit
    union all
    select 2 as digit
    union all
    select 3 as digit
    union all
    select 4 as digit
    union all
    select 5 as digit
    union all
    select 6 as digit
    union all
    select 7 as digit
    union all
    select 8 as digit
    union all
    select 9 as digit
),

day_offsets as (
    select
        ones.digit
        + 10 * tens.digit
        + 100 * hundreds.digit
        + 1000 * thousands.digit as day_offset
    from digits as ones
    cross join digits as tens
    cross join digits as hundreds
    cross join digits as thousands
),

days_listed as (
    select
        cast({{ dbt.dateadd('day', 'day_offset', "cast('2015-01-01' as date)") }} as date) as date_day
    from day_offsets
),

final as (
    select date_day
    from days_listed
    where date_day <= cast('2035-12-31' as date)
)

select * from final
