-- The raw activity rows, as read, of the leads int_activity_leads_changed flags: what an
-- incremental int_activities_validated stages again. A view: only incremental runs read it.

{{ config(materialized='view') }}

with

raw_activities as (
    select * from {{ raw_table('activities') }}
),

changed_leads as (
    select lead_key from {{ ref('int_activity_leads_changed') }}
    where is_changed
),

changed_rows as (
    select raw_activities.*
    from raw_activities
    where coalesce({{ clean_text('raw_activities.lead_id') }}, '') in (select lead_key from changed_leads)
)

select * from changed_rows
