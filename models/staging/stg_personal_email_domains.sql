-- The personal email domains seed, one lowercase domain a row.

with

domains as (
    select * from {{ ref('personal_email_domains') }}
),

normalised as (
    select distinct lower(trim(domain)) as domain
    from domains
    where trim(domain) <> ''
)

select * from normalised
