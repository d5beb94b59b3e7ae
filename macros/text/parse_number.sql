{% macro parse_number(expression) %}
    {#- Text as a double, null when it is not a number. -#}
    {{ return(adapter.dispatch('parse_number', 'lead_scoring')(expression)) }}
{% endmacro %}

{% macro default__parse_number(expression) %}
    {{ dbt.safe_cast(expression, lead_scoring.type_double()) }}
{% endmacro %}

{% macro spark__parse_number(expression) %}
    {#- Read text as DuckDB does: Spark's cast also takes Java's float/double suffixes ('12d',
        '1.5F') and refuses digit separators ('1_000') and a '+-' sign, where DuckDB does the
        opposite. (inf, infinity and nan are numbers on both.) -#}
    try_cast(
        case
            when {{ expression }} rlike '[0-9.][dDfF]$' then null
            else regexp_replace(regexp_replace({{ expression }}, '(?<=[0-9])_(?=[0-9])', ''), '^[+]-', '-')
        end as {{ lead_scoring.type_double() }}
    )
{% endmacro %}
