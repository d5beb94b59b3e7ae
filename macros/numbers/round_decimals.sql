{% macro round_decimals(expression, places) %}
    {#- A double rounded to `places` decimal places, still a double (Postgres has no
        round(double precision, integer)). -#}
    {{ return(adapter.dispatch('round_decimals', 'lead_scoring')(expression, places)) }}
{% endmacro %}

{% macro default__round_decimals(expression, places) %}
    round({{ expression }}, {{ places }})
{% endmacro %}
