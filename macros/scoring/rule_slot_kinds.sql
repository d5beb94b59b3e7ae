{% macro rule_slot_kinds() %}
    {#- {slot: 'decayed' | 'undecayed' | none} from stg_scoring_rules, read when the model runs, so
        int_activities_scored computes one running sum per rule instead of two per slot. 'both'
        for every slot while parsing and in unit tests (their rules are fixtures, not tables). -#}
    {%- set kinds = {} -%}
    {%- for slot in range(1, var('scoring_rule_slots') + 1) -%}
        {%- do kinds.update({slot: 'both'}) -%}
    {%- endfor -%}
    {%- if not execute or model.resource_type == 'unit_test' -%}
        {{ return(kinds) }}
    {%- endif -%}
    {%- set result = run_query('select rule_slot, half_life_days from ' ~ ref('stg_scoring_rules')) -%}
    {%- for slot in range(1, var('scoring_rule_slots') + 1) -%}
        {%- do kinds.update({slot: none}) -%}
    {%- endfor -%}
    {%- for row in result.rows -%}
        {%- do kinds.update({row[0] | int: 'undecayed' if row[1] is none else 'decayed'}) -%}
    {%- endfor -%}
    {{ return(kinds) }}
{% endmacro %}
