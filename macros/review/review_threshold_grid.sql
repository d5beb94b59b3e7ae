{% macro review_threshold_grid() %}
    {#- The MQL thresholds the backtest evaluates, sorted: var review_thresholds (default 25, 30,
        ..., 200) plus the current var mql_threshold. A threshold that is not positive stops
        compilation. -#}
    {%- set current_threshold = run_var('mql_threshold') | float %}
    {%- set configured = run_var('review_thresholds', none) %}
    {%- set grid = configured if configured is not none else range(25, 205, 5) | list %}
    {%- set thresholds = (grid | map('float') | list + [current_threshold]) | unique | sort %}
    {%- for threshold in thresholds if threshold <= 0 %}
        {{ exceptions.raise_compiler_error("var review_thresholds: every threshold must be positive, got "
                                           ~ threshold) }}
    {%- endfor %}
    {{ return(thresholds) }}
{% endmacro %}
