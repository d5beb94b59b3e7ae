{% macro value_of_greatest(expression, keys) %}
    {#- As an aggregate: `expression` on the group's row with the greatest `keys` (a list of
        non-null columns, compared in order: the first, then the next on ties). Where rows tie on
        every key, which one gives the value is not defined: use it where the keys decide the
        value (dim_leads: stage_order is a function of the stage). -#}
    {{ return(adapter.dispatch('value_of_greatest', 'lead_scoring')(expression, keys)) }}
{% endmacro %}

{% macro default__value_of_greatest(expression, keys) %}
    (array_agg({{ expression }} order by {{ keys | join(' desc, ') }} desc))[1]
{% endmacro %}

{% macro duckdb__value_of_greatest(expression, keys) %}
    arg_max({{ expression }}, ({{ keys | join(', ') }}))
{% endmacro %}

{% macro spark__value_of_greatest(expression, keys) %}
    max_by({{ expression }}, struct({{ keys | join(', ') }}))
{% endmacro %}
