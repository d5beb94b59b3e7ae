-- One row per MQL threshold the backtest evaluates: var review_thresholds (default 25, 30, ...,
-- 200) plus the current var mql_threshold, which is always in the grid and flagged.

{%- set current_threshold = run_var('mql_threshold') | float %}
{%- set thresholds = review_threshold_grid() %}

with

thresholds as (
    {%- for threshold in thresholds %}
        select cast({{ threshold }} as {{ type_double() }}) as mql_threshold
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

flagged as (
    select
        mql_threshold,
        mql_threshold = cast({{ current_threshold }} as {{ type_double() }}) as is_current_threshold
    from thresholds
)

select * from flagged
