{% macro decayed_sum(running_sum, half_life_days, seconds_since_origin) %}
    {#- S_k(t) of SPEC section 3 from a running sum of points * 2^(age_from_origin / half_life):
        rescaled by 2^(-seconds_since_origin / half_life). A null half-life means no decay. -#}
    ({{ running_sum }} * case
        when {{ half_life_days }} is null then 1.0
        else pow(2.0, -1.0 * ({{ seconds_since_origin }}) / ({{ half_life_days }} * 86400.0))
    end)
{% endmacro %}
