{% macro postgres__epoch_seconds(timestamp_expression) %}
    {#- extract(epoch ...) is an exact numeric on Postgres 14+; as a double, like DuckDB's epoch()
        (the same value: microseconds / 10^6, correctly rounded). -#}
    cast(extract(epoch from {{ timestamp_expression }}) as double precision)
{% endmacro %}
