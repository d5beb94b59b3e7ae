-- One row per raw table: rows read, exact duplicates removed, rows used downstream and rows
-- quarantined. Nothing is lost when raw_rows = used_rows + quarantined_rows + exact_duplicate_rows
-- (is_reconciled, guarded by a data test).

{%- set validated = [
    ('accounts', 'stg_accounts'),
    ('leads', 'int_leads_validated'),
    ('activities', 'int_activities_validated'),
    ('sales_dispositions', 'int_sales_dispositions_validated'),
    ('opportunities', 'int_opportunities_validated'),
] %}

with

raw_counts as (
    select * from {{ ref('stg_raw_row_counts') }}
),

quarantined as (
    select * from {{ ref('rpt_quarantined_rows') }}
),

{% for source_table, model in validated %}
    {{ source_table }}_counted as (
        select
            '{{ source_table }}' as source_table,
            count(*) as distinct_rows,
            sum(case when quarantine_reason is null then 1 else 0 end) as used_rows
        from {{ ref(model) }}
    ),

{% endfor %}
distinct_counts as (
    {%- for source_table, model in validated %}
        select * from {{ source_table }}_counted
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

quarantine_counts as (
    select
        source_table,
        count(*) as quarantined_rows
    from quarantined
    group by source_table
),

reconciled as (
    select
        raw_counts.source_table,
        cast(raw_counts.raw_rows as {{ dbt.type_bigint() }}) as raw_rows,
        cast(raw_counts.raw_rows - distinct_counts.distinct_rows as {{ dbt.type_bigint() }}) as exact_duplicate_rows,
        cast(coalesce(distinct_counts.used_rows, 0) as {{ dbt.type_bigint() }}) as used_rows,
        cast(coalesce(quarantine_counts.quarantined_rows, 0) as {{ dbt.type_bigint() }}) as quarantined_rows,
        raw_counts.raw_rows = coalesce(distinct_counts.used_rows, 0)
        + coalesce(quarantine_counts.quarantined_rows, 0)
        + (raw_counts.raw_rows - distinct_counts.distinct_rows) as is_reconciled
    from raw_counts
    left join distinct_counts
        on raw_counts.source_table = distinct_counts.source_table
    left join quarantine_counts
        on raw_counts.source_table = quarantine_counts.source_table
)

select * from reconciled
