-- One row per raw table: how many rows it had as read, before anything was removed. The
-- reconciliation report checks these against used + quarantined + exact duplicate rows.

{%- set raw_tables = ['accounts', 'leads', 'activities', 'sales_dispositions', 'opportunities'] %}

with

{% for table_name in raw_tables %}
    {{ table_name }}_counted as (
        select
            '{{ table_name }}' as source_table,
            count(*) as raw_rows
        from {{ raw_table(table_name) }}
    ),

{% endfor %}
unioned as (
    {% for table_name in raw_tables %}
        select * from {{ table_name }}_counted
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select * from unioned
