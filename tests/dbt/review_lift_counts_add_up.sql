-- Every row of rpt_activity_lift splits the same mature ICP-fit leads into those who did the
-- activity and those who did not. Rows returned do not add up.

with

lift as (
    select * from {{ ref('rpt_activity_lift') }}
),

observed_leads as (
    select * from {{ ref('int_leads_lift_observed') }}
),

population as (
    select
        count(*) as lead_count,
        sum(case when is_sql_within_window then 1 else 0 end) as converted_lead_count
    from observed_leads
    where is_mature
),

violations as (
    select lift.activity_type
    from lift
    cross join population
    where lift.lead_count <> population.lead_count
        or lift.converted_lead_count <> coalesce(population.converted_lead_count, 0)
        or lift.exposed_lead_count + lift.unexposed_lead_count <> lift.lead_count
        or lift.exposed_converted_count + lift.unexposed_converted_count <> lift.converted_lead_count
        or lift.exposed_converted_count > lift.exposed_lead_count
        or lift.unexposed_converted_count > lift.unexposed_lead_count
)

select * from violations
