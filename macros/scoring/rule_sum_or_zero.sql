{% macro rule_sum_or_zero(column_prefix, slot, slot_kinds, kinds) %}
    {#- The slot's running-sum column when the slot has a rule of one of `kinds` ('decayed',
        'undecayed'; 'both' in unit tests, macro rule_slot_kinds), else 0: int_activities_scored
        only computes the sums a configured rule needs. -#}
    {%- if slot_kinds[slot] in kinds or slot_kinds[slot] == 'both' -%}
        {{ column_prefix }}{{ slot }}
    {%- else -%}
        cast(0 as {{ type_double() }})
    {%- endif -%}
{% endmacro %}
