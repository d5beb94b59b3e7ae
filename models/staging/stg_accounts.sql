-- One row per distinct raw account row (exact duplicates removed), typed, with the reason the row
-- cannot be used (quarantine_reason, null when usable).

with

source as (
    select * from {{ raw_table('accounts') }}
),

distinct_rows as (
    select distinct
        cast(account_id as {{ dbt.type_string() }}) as account_id_raw,
        cast(company_name as {{ dbt.type_string() }}) as company_name_raw,
        cast(domain as {{ dbt.type_string() }}) as domain_raw,
        cast(industry as {{ dbt.type_string() }}) as industry_raw,
        cast(employee_count as {{ dbt.type_string() }}) as employee_count_raw,
        cast(annual_revenue_usd as {{ dbt.type_string() }}) as annual_revenue_usd_raw,
        cast(country as {{ dbt.type_string() }}) as country_raw
    from source
),

typed as (
    select
        {{ clean_text('account_id_raw') }} as account_id,
        {{ clean_text('company_name_raw') }} as company_name,
        lower({{ clean_text('domain_raw') }}) as domain,
        lower({{ clean_text('industry_raw') }}) as industry,
        upper({{ clean_text('country_raw') }}) as country,
        {{ parse_number(clean_text('employee_count_raw')) }} as employee_count,
        {{ parse_number(clean_text('annual_revenue_usd_raw')) }} as annual_revenue_usd,
        {{ clean_text('employee_count_raw') }} as employee_count_text,
        {{ clean_text('annual_revenue_usd_raw') }} as annual_revenue_usd_text,
        concat_ws(
            '|', coalesce(account_id_raw, ''), coalesce(company_name_raw, ''), coalesce(domain_raw, ''),
            coalesce(industry_raw, ''), coalesce(employee_count_raw, ''),
            coalesce(annual_revenue_usd_raw, ''), coalesce(country_raw, '')
        ) as record_text
    from distinct_rows
),

row_checked as (
    select
        *,
        case
            when account_id is null then 'missing_key'
            when employee_count_text is not null and employee_count is null then 'invalid_number'
            when employee_count < 0 or employee_count > 10000000 then 'invalid_number'
            when annual_revenue_usd_text is not null and annual_revenue_usd is null then 'invalid_number'
            when annual_revenue_usd < 0 then 'invalid_number'
        end as row_issue
    from typed
),

key_ranked as (
    select
        *,
        row_number() over (
            partition by account_id, row_issue is null
            order by record_text
        ) as key_rank
    from row_checked
),

reasoned as (
    select
        account_id,
        company_name,
        domain,
        industry,
        country,
        record_text,
        cast(round(employee_count) as {{ dbt.type_bigint() }}) as employee_count,
        annual_revenue_usd,
        coalesce(row_issue, case when key_rank > 1 then 'duplicate_key' end) as quarantine_reason
    from key_ranked
)

select * from reasoned
