{#- Override of dbt's cross-database dbt.dateadd on Spark (found first through the project's
    dispatch search order). dbt-spark's version round-trips through to_unix_timestamp, which drops
    fractions of a second, and wraps its input in assert_not_null, which fails the query on a
    null; timestampadd keeps microseconds, passes nulls through, and clamps month ends the way
    DuckDB's interval arithmetic does (2026-01-31 + 1 month = 2026-02-28). -#}

{% macro spark__dateadd(datepart, interval, from_date_or_timestamp) %}
    timestampadd({{ datepart }}, {{ interval }}, {{ from_date_or_timestamp }})
{% endmacro %}
