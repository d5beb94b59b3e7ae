{% test positive_or_null(model, column_name) %}
    {#- Rows where the column is present but not strictly positive. -#}
    select *
    from {{ model }}
    where {{ column_name }} is not null
        and {{ column_name }} <= 0
{% endtest %}
