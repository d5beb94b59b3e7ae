{% macro postgres_try_cast_types() %}
    {#- The types postgres__safe_cast can cast text to: {function suffix: Postgres type}. -#}
    {{ return({
        'double': 'double precision', 'timestamp': 'timestamp', 'date': 'date', 'bigint': 'bigint',
        'integer': 'integer', 'numeric': 'numeric', 'boolean': 'boolean',
    }) }}
{% endmacro %}

{% macro postgres__create_try_cast_functions() %}
    {#- One small PL/pgSQL function per type in the target schema, lead_scoring_try_cast_<type>:
        the cast, or null when the text is not a value of that type (any SQLSTATE class 22 data
        exception: bad syntax, out of range, impossible date). Postgres 15 has no try_cast
        (pg_input_is_valid is 16+). Replaced on every run; views that call them keep working. -#}
    {%- set schema = adapter.quote(target.schema) -%}
    {#- dbt has created the schema before on-run-start hooks unless nothing was selected; create
        it only then (a role that owns its schema may lack CREATE on the database). -#}
    {%- if execute and not adapter.check_schema_exists(target.database, target.schema) %}
    create schema if not exists {{ schema }};
    {%- endif %}
    {% for suffix, type in lead_scoring.postgres_try_cast_types().items() -%}
    create or replace function {{ schema }}.lead_scoring_try_cast_{{ suffix }}(value text)
    returns {{ type }}
    language plpgsql
    {{ 'stable' if suffix in ('timestamp', 'date') else 'immutable' }} strict parallel safe
    as $lead_scoring$
    begin
        return cast(value as {{ type }});
    exception
        {%- if suffix == 'double' %}
        when numeric_value_out_of_range then
            -- A number beyond the double range reads as +-infinity, one below it as +-0, as
            -- DuckDB's try_cast reads it (Postgres refuses both).
            return case
                when abs(cast(value as numeric)) >= 1 then cast(sign(cast(value as numeric)) as double precision) * 'infinity'
                else cast(sign(cast(value as numeric)) as double precision) * 0.0
            end;
        {%- endif %}
        when data_exception then
            return null;
    end
    $lead_scoring$;
    {% endfor -%}
{% endmacro %}
