{% macro median(expression) %}
    {#- The exact median (50th percentile, interpolated between the two middle values) of a
        numeric expression, as an aggregate; nulls are ignored, null when there are no values. -#}
    {{ return(adapter.dispatch('median', 'lead_scoring')(expression)) }}
{% endmacro %}

{% macro default__median(expression) %}
    percentile_cont(0.5) within group (order by {{ expression }})
{% endmacro %}

{% macro duckdb__median(expression) %}
    median({{ expression }})
{% endmacro %}

{% macro spark__median(expression) %}
    percentile({{ expression }}, 0.5)
{% endmacro %}
