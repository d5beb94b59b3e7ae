-- One row per distinct raw activity row (exact duplicates removed: a repeated activity counts
-- once), typed, occurred_at in UTC, with the reason the row cannot be used.

with

source as (
    select * from {{ raw_table('activities') }}
),

distinct_rows as (
    select distinct
        cast(activity_id as {{ dbt.type_string() }}) as activity_id_raw,
        cast(lead_id as {{ dbt.type_string() }}) as lead_id_raw,
        cast(activity_type as {{ dbt.type_string() }}) as activity_type_raw,
        cast(occurred_at as {{ dbt.type_string() }}) as occurred_at_raw,
        cast(detail as {{ dbt.type_string() }}) as detail_raw
    from source
),

typed as (
    select
        {{ clean_text('activity_id_raw') }} as activity_id,
        {{ clean_text('lead_id_raw') }} as lead_id,
        coalesce(lower({{ clean_text('activity_type_raw') }}), 'unknown') as activity_type,
        {{ clean_text('detail_raw') }} as detail,
        {{ parse_iso_timestamp(clean_text('occurred_at_raw')) }} as occurred_at,
        concat_ws(
            '|', coalesce(activity_id_raw, ''), coalesce(lead_id_raw, ''), coalesce(activity_type_raw, ''),
            coalesce(occurred_at_raw, ''), coalesce(detail_raw, '')
        ) as record_text
    from distinct_rows
),

row_checked as (
    select
        *,
        case
            when activity_id is null then 'missing_key'
            when occurred_at is null then 'unparseable_timestamp'
            when occurred_at > {{ build_clock_timestamp() }} then 'future_timestamp'
            when lead_id is null then 'missing_lead_id'
        end as row_issue
    from typed
),

key_ranked as (
    select
        *,
        row_number() over (
            partition by activity_id, row_issue is null
            order by occurred_at, record_text
        ) as key_rank
    from row_checked
),

reasoned as (
    select
        activity_id,
        lead_id,
        activity_type,
        detail,
        record_text,
        occurred_at,
        coalesce(row_issue, case when key_rank > 1 then 'duplicate_key' end) as quarantine_reason
    from key_ranked
)

select * from reasoned
