{% macro filtered_window_sum(value, condition, window_name) %}
    {#- sum(value) over the window of the rows where `condition` holds, 0.0 when none: one running
        sum per rule in int_activities_scored. -#}
    {{ return(adapter.dispatch('filtered_window_sum', 'lead_scoring')(value, condition, window_name)) }}
{% endmacro %}

{% macro default__filtered_window_sum(value, condition, window_name) %}
    {#- Spark refuses FILTER in a window aggregate: the rows outside add 0.0. -#}
    sum(case when {{ condition }} then {{ value }} else 0.0 end) over {{ window_name }}
{%- endmacro %}

{% macro duckdb__filtered_window_sum(value, condition, window_name) %}
    {#- The rows outside never reach the aggregate: a fifth less time for the running sums. -#}
    coalesce(sum({{ value }}) filter (where {{ condition }}) over {{ window_name }}, 0.0)
{%- endmacro %}
