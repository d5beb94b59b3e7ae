{% macro postgres__round_decimals(expression, places) %}
    {#- Postgres rounds only numerics to a number of places: through numeric and back (half away
        from zero, as DuckDB's round). -#}
    cast(round(cast({{ expression }} as numeric), {{ places }}) as double precision)
{% endmacro %}
