{% macro decayed_sum(running_sum, half_life_days, seconds_since_origin) %}
    {#- S_k(t) of SPEC section 3 from a running sum of points * 2^(age_from_origin / half_life):
        rescaled by 2^(-seconds_since_origin / half_life). A null half-life means no decay. A
        rule the lead has no activity of yet (a running sum of 0, most rules on most rows) skips
        the power. -#}
    case
        when {{ running_sum }} = 0.0 or {{ half_life_days }} is null then {{ running_sum }}
        else {{ running_sum }} * pow(2.0, -1.0 * ({{ seconds_since_origin }}) / ({{ half_life_days }} * 86400.0))
    end
{% endmacro %}
