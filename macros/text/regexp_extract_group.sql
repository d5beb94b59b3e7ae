{% macro regexp_extract_group(expression, pattern, group) %}
    {#- The text a capturing group of a regular expression matched: '' when the text does not
        match (or the group took no part), null when the text is null — DuckDB's and Spark's
        regexp_extract semantics, on every engine. The pattern is pasted into a quoted literal:
        no single quotes or backslashes, so the same literal works everywhere. -#}
    {{ return(adapter.dispatch('regexp_extract_group', 'lead_scoring')(expression, pattern, group)) }}
{% endmacro %}

{% macro default__regexp_extract_group(expression, pattern, group) %}
    regexp_extract({{ expression }}, '{{ pattern }}', {{ group }})
{% endmacro %}
