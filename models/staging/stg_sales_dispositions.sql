-- One row per distinct raw sales disposition row (exact duplicates removed), typed, with the
-- reason the row cannot be used (unknown dispositions included).

with

source as (
    select * from {{ raw_table('sales_dispositions') }}
),

distinct_rows as (
    select distinct
        cast(disposition_id as {{ dbt.type_string() }}) as disposition_id_raw,
        cast(lead_id as {{ dbt.type_string() }}) as lead_id_raw,
        cast(disposition as {{ dbt.type_string() }}) as disposition_raw,
        cast(disposition_at as {{ dbt.type_string() }}) as disposition_at_raw,
        cast(reason as {{ dbt.type_string() }}) as reason_raw
    from source
),

typed as (
    select
        {{ clean_text('disposition_id_raw') }} as disposition_id,
        {{ clean_text('lead_id_raw') }} as lead_id,
        lower({{ clean_text('disposition_raw') }}) as disposition,
        {{ clean_text('reason_raw') }} as reason,
        {{ parse_iso_timestamp(clean_text('disposition_at_raw')) }} as disposition_at,
        concat_ws(
            '|', coalesce(disposition_id_raw, ''), coalesce(lead_id_raw, ''), coalesce(disposition_raw, ''),
            coalesce(disposition_at_raw, ''), coalesce(reason_raw, '')
        ) as record_text
    from distinct_rows
),

row_checked as (
    select
        *,
        case
            when disposition_id is null then 'missing_key'
            when disposition_at is null then 'unparseable_timestamp'
            when disposition_at > {{ build_clock_timestamp() }} then 'future_timestamp'
            when coalesce(disposition, '') not in ('accepted', 'qualified', 'recycled', 'disqualified')
                then 'unknown_disposition'
            when lead_id is null then 'missing_lead_id'
        end as row_issue
    from typed
),

key_ranked as (
    select
        *,
        row_number() over (
            partition by disposition_id, row_issue is null
            order by disposition_at, record_text
        ) as key_rank
    from row_checked
),

reasoned as (
    select
        disposition_id,
        lead_id,
        disposition,
        reason,
        record_text,
        disposition_at,
        coalesce(row_issue, case when key_rank > 1 then 'duplicate_key' end) as quarantine_reason
    from key_ranked
)

select * from reasoned
