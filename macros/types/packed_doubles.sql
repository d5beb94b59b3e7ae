{% macro pack_doubles(expressions) %}
    {#- Several doubles as one array value (read back with packed_double): a window sorts whole rows,
        and one array that is null on most rows weighs less there than a column per value. -#}
    {{ return(adapter.dispatch('pack_doubles', 'lead_scoring')(expressions)) }}
{% endmacro %}

{% macro default__pack_doubles(expressions) %}
    array[{% for expression in expressions %}cast({{ expression }} as {{ lead_scoring.type_double() }}){% if not loop.last %}, {% endif %}{% endfor %}]
{%- endmacro %}

{% macro spark__pack_doubles(expressions) %}
    array({% for expression in expressions %}cast({{ expression }} as {{ lead_scoring.type_double() }}){% if not loop.last %}, {% endif %}{% endfor %})
{%- endmacro %}

{% macro packed_double(column, position) %}
    {#- The value at `position` (1 = first) of an array made by pack_doubles. -#}
    {{ return(adapter.dispatch('packed_double', 'lead_scoring')(column, position)) }}
{% endmacro %}

{% macro default__packed_double(column, position) %}({{ column }})[{{ position }}]{% endmacro %}

{% macro spark__packed_double(column, position) %}element_at({{ column }}, {{ position }}){% endmacro %}
