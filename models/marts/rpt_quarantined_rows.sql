-- One row per raw row that cannot be used, with its source table, key (as given, possibly null)
-- and the reason. Exact duplicate rows are not here: they are counted in rpt_row_reconciliation.

{%- set validated = [
    ('accounts', 'stg_accounts', 'account_id'),
    ('leads', 'int_leads_validated', 'lead_id'),
    ('activities', 'int_activities_validated', 'activity_id'),
    ('sales_dispositions', 'int_sales_dispositions_validated', 'disposition_id'),
    ('opportunities', 'int_opportunities_validated', 'opportunity_id'),
] %}

with

{% for source_table, model, key in validated %}
    {{ source_table }}_quarantined as (
        select
            '{{ source_table }}' as source_table,
            {{ key }} as record_key,
            quarantine_reason,
            record_text
        from {{ ref(model) }}
        where quarantine_reason is not null
    ),

{% endfor %}
unioned as (
    {%- for source_table, model, key in validated %}
        select * from {{ source_table }}_quarantined
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
)

select * from unioned
