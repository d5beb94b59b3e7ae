-- The competitor email domains seed, one lowercase domain a row.

with

domains as (
    select * from {{ ref('competitor_domains') }}
),

normalised as (
    select distinct lower(trim(domain)) as domain
    from domains
    where trim(domain) <> ''
)

select * from normalised
