-- The scoring rules seed, typed and normalised, each rule given a slot number (1..n, by
-- activity type) that the scoring model uses as its running-sum column.

with

scoring_rules as (
    select * from {{ ref('scoring_rules') }}
),

normalised as (
    select
        lower(trim(activity_type)) as activity_type,
        description,
        cast(points as {{ type_double() }}) as points,
        cast(max_points as {{ type_double() }}) as max_points,
        cast(half_life_days as {{ type_double() }}) as half_life_days
    from scoring_rules
),

slotted as (
    select
        *,
        row_number() over (order by activity_type) as rule_slot
    from normalised
)

select * from slotted
