{% macro engagement_score() %}
    {#- score = max(0, sum_k C_k) of SPEC section 3: every rule slot's decayed sum (column
        decayed_sum_<slot>) capped at its max_points (column max_points_<slot>), summed, floored
        at 0. The score after an activity (int_activities_scored) and at as_of
        (int_episode_scores_at_as_of). -#}
    greatest(
        0.0,
        {%- for slot in range(1, var('scoring_rule_slots') + 1) %}
            {{ capped_sum('decayed_sum_' ~ slot, 'max_points_' ~ slot) }}{% if not loop.last %} +{% endif %}
        {%- endfor %}
    )
{%- endmacro %}
