{% test expression_is_true(model, expression) %}
    {#- Rows of the model for which a boolean SQL expression is not true. -#}
    select *
    from {{ model }}
    where not coalesce({{ expression }}, false)
{% endtest %}
