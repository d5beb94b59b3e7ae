{% macro epoch_seconds(timestamp_expression) %}
    {#- Seconds since 1970-01-01 as a double, fractions of a second kept. -#}
    {{ return(adapter.dispatch('epoch_seconds', 'lead_scoring')(timestamp_expression)) }}
{% endmacro %}

{% macro default__epoch_seconds(timestamp_expression) %}
    cast(unix_micros({{ timestamp_expression }}) as double) / 1000000.0
{% endmacro %}

{% macro duckdb__epoch_seconds(timestamp_expression) %}
    epoch({{ timestamp_expression }})
{% endmacro %}
