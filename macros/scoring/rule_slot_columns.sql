{% macro rule_slot_columns() %}
    {#- The select list of a one-row pivot of stg_scoring_rules (aggregated over its rows): each
        slot's half-life and cap (half_life_days_<slot>, max_points_<slot>; null for a slot without
        a rule), so that every row can read every type's rule with a cross join. -#}
    {%- for slot in range(1, var('scoring_rule_slots') + 1) %}
        max(case when rule_slot = {{ slot }} then half_life_days end) as half_life_days_{{ slot }},
        max(case when rule_slot = {{ slot }} then max_points end) as max_points_{{ slot }}
        {%- if not loop.last %},{% endif %}
    {%- endfor %}
{% endmacro %}
