{% macro create_try_cast_functions() %}
    {#- on-run-start hook: the SQL that creates the functions the engine's safe_cast needs before
        any model runs — on Postgres the lead_scoring_try_cast_<type> functions
        (macros/postgres/create_try_cast_functions.sql); no SQL (a no-op) elsewhere. -#}
    {{ return(adapter.dispatch('create_try_cast_functions', 'lead_scoring')()) }}
{% endmacro %}

{% macro default__create_try_cast_functions() %}
    {{ return('') }}
{% endmacro %}
