{#- Override of dbt's cross-database dbt.safe_cast on Postgres (found first through the project's
    dispatch search order): a value that cannot be cast becomes null instead of failing the query,
    as try_cast does on DuckDB and Spark, through the lead_scoring_try_cast_<type> functions the
    on-run-start hook create_try_cast_functions() creates in the target schema. -#}

{% macro postgres__safe_cast(field, type) %}
    {%- if (type | lower | trim).startswith(('text', 'varchar', 'character varying', 'char')) -%}
        {#- Any value casts to text (dbt's unit test fixtures cast their text columns here). -#}
        cast({{ field }} as {{ type }})
    {%- elif (type | lower | trim) == 'array' -%}
        {#- An array column, which dbt names ARRAY without its element type (unit test fixtures of
            the models that read int_activities_scored): the only one, state_rule_sums, holds doubles. -#}
        cast({{ field }} as double precision[])
    {%- else -%}
        {{ lead_scoring.postgres_try_cast_function(type) }}(cast({{ field }} as text))
    {%- endif -%}
{% endmacro %}

{% macro postgres_try_cast_function(type) %}
    {#- The schema-qualified try-cast function for a type name as dbt or a model spells it. -#}
    {%- set aliases = {
        'double precision': 'double', 'float8': 'double', 'timestamp without time zone': 'timestamp',
        'int8': 'bigint', 'int': 'integer', 'int4': 'integer',
    } -%}
    {%- set name = type | lower | trim -%}
    {%- set suffix = aliases.get(name, name) -%}
    {%- if suffix not in lead_scoring.postgres_try_cast_types() -%}
        {{ exceptions.raise_compiler_error("safe_cast to '" ~ type ~ "' is not available on postgres: add the type to postgres_try_cast_types() (macros/postgres/create_try_cast_functions.sql)") }}
    {%- endif -%}
    {{ return(adapter.quote(target.schema) ~ '.lead_scoring_try_cast_' ~ suffix) }}
{% endmacro %}
