{% macro run_var(name, default=none) %}
    {#- A run setting (as_of, mql_threshold, mql_fit_grades, conversion_window_days, raw_files):
        the value scripts/build.py passes in the environment variable LEAD_SCORING_RUN_VARS (a
        JSON object) when it has one for `name`, else dbt's var (--vars, a unit test's overrides,
        dbt_project.yml), else `default`.

        The environment variable is read only while dbt compiles a node for the run, never while
        it parses the project: dbt then keeps the parse of an earlier build with other settings
        (partial parsing; `--vars` would make it parse everything again). Unit tests keep their
        own overrides. -#}
    {%- if execute and model is not none and model.resource_type != 'unit_test' -%}
        {%- set given = fromjson(env_var('LEAD_SCORING_RUN_VARS', '{}')) -%}
        {%- if given is mapping and name in given -%}
            {{ return(given[name]) }}
        {%- endif -%}
    {%- endif -%}
    {{ return(var(name, default)) }}
{% endmacro %}
