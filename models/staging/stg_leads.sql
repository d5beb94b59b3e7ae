-- One row per distinct raw lead row (exact duplicates removed), typed: email trimmed and
-- lowercased with its domain, created_at in UTC, and the reason the row cannot be used.

with

source as (
    select * from {{ raw_table('leads') }}
),

distinct_rows as (
    select distinct
        cast(lead_id as {{ dbt.type_string() }}) as lead_id_raw,
        cast(email as {{ dbt.type_string() }}) as email_raw,
        cast(first_name as {{ dbt.type_string() }}) as first_name_raw,
        cast(last_name as {{ dbt.type_string() }}) as last_name_raw,
        cast(job_title as {{ dbt.type_string() }}) as job_title_raw,
        cast(account_id as {{ dbt.type_string() }}) as account_id_raw,
        cast(lead_source as {{ dbt.type_string() }}) as lead_source_raw,
        cast(country as {{ dbt.type_string() }}) as country_raw,
        cast(created_at as {{ dbt.type_string() }}) as created_at_raw
    from source
),

typed as (
    select
        {{ clean_text('lead_id_raw') }} as lead_id,
        {{ clean_text('account_id_raw') }} as account_id,
        lower({{ clean_text('email_raw') }}) as email,
        {{ clean_text('first_name_raw') }} as first_name,
        {{ clean_text('last_name_raw') }} as last_name,
        {{ clean_text('job_title_raw') }} as job_title,
        coalesce(lower({{ clean_text('lead_source_raw') }}), 'unknown') as lead_source,
        upper({{ clean_text('country_raw') }}) as country,
        {{ parse_iso_timestamp(clean_text('created_at_raw')) }} as created_at,
        concat_ws(
            '|', coalesce(lead_id_raw, ''), coalesce(email_raw, ''), coalesce(first_name_raw, ''),
            coalesce(last_name_raw, ''), coalesce(job_title_raw, ''), coalesce(account_id_raw, ''),
            coalesce(lead_source_raw, ''), coalesce(country_raw, ''), coalesce(created_at_raw, '')
        ) as record_text
    from distinct_rows
),

email_parsed as (
    select
        *,
        nullif({{ regexp_extract_group('email', '^[^@ ]+@([^@ ]+[.][^@ .]+)$', 1) }}, '') as email_domain
    from typed
),

row_checked as (
    select
        *,
        case
            when lead_id is null then 'missing_key'
            when created_at is null then 'unparseable_timestamp'
            when created_at > {{ build_clock_timestamp() }} then 'future_timestamp'
        end as row_issue
    from email_parsed
),

key_ranked as (
    select
        *,
        row_number() over (
            partition by lead_id, row_issue is null
            order by created_at, record_text
        ) as key_rank
    from row_checked
),

reasoned as (
    select
        lead_id,
        account_id,
        email,
        email_domain,
        first_name,
        last_name,
        job_title,
        lead_source,
        country,
        record_text,
        email is not null and email_domain is null as is_email_malformed,
        created_at,
        coalesce(row_issue, case when key_rank > 1 then 'duplicate_key' end) as quarantine_reason
    from key_ranked
)

select * from reasoned
