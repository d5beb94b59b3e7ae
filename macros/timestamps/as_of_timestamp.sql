{% macro as_of_timestamp() %}
    {#- The instant scores are computed at: var as_of (ISO-8601, offsets allowed), else the
        build's start time. A malformed as_of stops compilation with one line. -#}
    {%- set as_of = lead_scoring.run_var('as_of', none) -%}
    {%- if as_of is none or as_of == '' -%}
        {{ return(lead_scoring.build_clock_timestamp()) }}
    {%- endif -%}
    {%- if not modules.re.match(lead_scoring.iso_timestamp_pattern(), as_of | string) -%}
        {{ exceptions.raise_compiler_error("var as_of: '" ~ as_of ~ "' is not an ISO-8601 timestamp (e.g. 2026-06-30T00:00:00Z)") }}
    {%- endif -%}
    {{ return(lead_scoring.parse_iso_timestamp("'" ~ as_of ~ "'")) }}
{% endmacro %}

{% macro build_clock_timestamp() %}
    {#- The build's clock time (dbt's run_started_at, UTC): raw timestamps later than it are quarantined. -#}
    {{ return("cast('" ~ run_started_at.strftime('%Y-%m-%d %H:%M:%S.%f') ~ "' as " ~ dbt.type_timestamp() ~ ")") }}
{% endmacro %}
