-- The ICP rules seed, typed: attribute and match value normalised to lowercase so matching is
-- case-insensitive (country codes included).

with

icp_rules as (
    select * from {{ ref('icp_rules') }}
),

normalised as (
    select
        lower(trim(attribute)) as attribute,
        lower(nullif(trim(match_value), '')) as match_value,
        cast(min_value as {{ type_double() }}) as min_value,
        cast(max_value as {{ type_double() }}) as max_value,
        cast(points as {{ type_double() }}) as points
    from icp_rules
)

select * from normalised
