{% macro parse_boolean(expression) %}
    {#- true/false/1/0/yes/no/t/f/y/n (any case) as a boolean; anything else null. -#}
    case
        when lower({{ expression }}) in ('true', 't', '1', 'yes', 'y') then true
        when lower({{ expression }}) in ('false', 'f', '0', 'no', 'n') then false
    end
{% endmacro %}
