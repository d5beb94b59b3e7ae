-- One row per distinct raw opportunity row (exact duplicates removed), typed, timestamps in UTC,
-- is_won as a boolean, with the reason the row cannot be used.

with

source as (
    select * from {{ raw_table('opportunities') }}
),

distinct_rows as (
    select distinct
        cast(opportunity_id as {{ dbt.type_string() }}) as opportunity_id_raw,
        cast(lead_id as {{ dbt.type_string() }}) as lead_id_raw,
        cast(account_id as {{ dbt.type_string() }}) as account_id_raw,
        cast(created_at as {{ dbt.type_string() }}) as created_at_raw,
        cast(closed_at as {{ dbt.type_string() }}) as closed_at_raw,
        cast(is_won as {{ dbt.type_string() }}) as is_won_raw,
        cast(amount_usd as {{ dbt.type_string() }}) as amount_usd_raw
    from source
),

typed as (
    select
        {{ clean_text('opportunity_id_raw') }} as opportunity_id,
        {{ clean_text('lead_id_raw') }} as lead_id,
        {{ clean_text('account_id_raw') }} as account_id,
        {{ clean_text('closed_at_raw') }} as closed_at_text,
        {{ clean_text('is_won_raw') }} as is_won_text,
        {{ clean_text('amount_usd_raw') }} as amount_usd_text,
        {{ parse_number(clean_text('amount_usd_raw')) }} as amount_usd,
        {{ parse_boolean(clean_text('is_won_raw')) }} as is_won,
        {{ parse_iso_timestamp(clean_text('created_at_raw')) }} as created_at,
        {{ parse_iso_timestamp(clean_text('closed_at_raw')) }} as closed_at,
        concat_ws(
            '|', coalesce(opportunity_id_raw, ''), coalesce(lead_id_raw, ''), coalesce(account_id_raw, ''),
            coalesce(created_at_raw, ''), coalesce(closed_at_raw, ''), coalesce(is_won_raw, ''),
            coalesce(amount_usd_raw, '')
        ) as record_text
    from distinct_rows
),

row_checked as (
    select
        *,
        case
            when opportunity_id is null then 'missing_key'
            when created_at is null then 'unparseable_timestamp'
            when closed_at_text is not null and closed_at is null then 'unparseable_timestamp'
            when created_at > {{ build_clock_timestamp() }} then 'future_timestamp'
            when closed_at > {{ build_clock_timestamp() }} then 'future_timestamp'
            when amount_usd_text is not null and amount_usd is null then 'invalid_number'
            when amount_usd < 0 then 'invalid_number'
            when is_won_text is not null and is_won is null then 'invalid_boolean'
            when lead_id is null then 'missing_lead_id'
        end as row_issue
    from typed
),

key_ranked as (
    select
        *,
        row_number() over (
            partition by opportunity_id, row_issue is null
            order by created_at, record_text
        ) as key_rank
    from row_checked
),

reasoned as (
    select
        opportunity_id,
        lead_id,
        account_id,
        record_text,
        amount_usd,
        is_won,
        created_at,
        closed_at,
        coalesce(row_issue, case when key_rank > 1 then 'duplicate_key' end) as quarantine_reason
    from key_ranked
)

select * from reasoned
