{% macro capped_sum(decayed_sum, max_points) %}
    {#- C_k(t) = sign(S_k) * min(|S_k|, max_points): the cap applies to either sign; a null cap
        means no cap; a null sum (type not seen) contributes 0. -#}
    coalesce(
        case
            when {{ max_points }} is null then {{ decayed_sum }}
            else sign({{ decayed_sum }}) * least(abs({{ decayed_sum }}), {{ max_points }})
        end,
        0.0
    )
{% endmacro %}
