{% macro normalize_words(expression) %}
    {#- Lowercase, every run of characters other than a-z and 0-9 as one space, padded with one
        space each side: ' head of sales '. A phrase matches as whole words when its normalised
        form is a substring of the normalised text. -#}
    concat(' ', trim({{ lead_scoring.regexp_replace_all("lower(coalesce(" ~ expression ~ ", ''))", '[^a-z0-9]+', ' ') }}), ' ')
{% endmacro %}
