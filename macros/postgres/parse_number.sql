{% macro postgres__parse_number(expression) %}
    {#- Read text as DuckDB does: Postgres's double input also takes C hex floats ('0x1A') and
        refuses digit separators ('1_000') and a '+-' sign, where DuckDB does the opposite.
        (Exponents beyond the double range: lead_scoring_try_cast_double, as DuckDB.) -#}
    {%- set normalised -%}
        case
            when {{ expression }} ~* '^[+-]?0x' then null
            else regexp_replace(regexp_replace({{ expression }}, '([0-9])_(?=[0-9])', '\1', 'g'), '^[+]-', '-')
        end
    {%- endset -%}
    {{ dbt.safe_cast(normalised, lead_scoring.type_double()) }}
{% endmacro %}
