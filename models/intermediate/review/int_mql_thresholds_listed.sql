-- One row per MQL threshold the backtest evaluates: var review_thresholds (default 25, 30, ...,
-- 200) plus the current var mql_threshold, which is always in the grid and flagged.

{%- set current_threshold = run_var('mql_threshold') | float %}
{%- set configured = run_var('review_thresholds', none) %}
{%- set grid = configured if configured is not none else range(25, 205, 5) | list %}
{%- set thresholds = (grid | map('float') | list + [current_threshold]) | unique | sort %}
{%- for threshold in thresholds if threshold <= 0 %}
    {{ exceptions.raise_compiler_error("var review_thresholds: every threshold must be positive, got " ~ threshold) }}
{%- endfor %}

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
