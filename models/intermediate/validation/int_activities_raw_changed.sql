-- The raw activity rows, as read, that an incremental int_activities_validated stages: every raw
-- row of the lead keys int_activity_leads_changed restages (read from all the raw files), and
-- the rows of this run's new files of the keys it only appends to. When no key is restaged, the
-- raw files read before are not read at all. A view: only incremental runs read it.

{{ config(materialized='view') }}

{%- set new_files = raw_activity_files_loaded_this_run() %}
{%- set restaged_any = activity_leads_restaged() if new_files else true %}

with

changed_leads as (
    select
        lead_key,
        is_restaged
    from {{ ref('int_activity_leads_changed') }}
    where is_changed
),

restaged_rows as (
    select
        raw_activities.activity_id,
        raw_activities.lead_id,
        raw_activities.activity_type,
        raw_activities.occurred_at,
        raw_activities.detail
    from {{ raw_table('activities') }} as raw_activities
    inner join changed_leads
        on coalesce({{ clean_text('raw_activities.lead_id') }}, '') = changed_leads.lead_key
    -- Not read at all when no key is restaged.
    where changed_leads.is_restaged{{ ' and false' if new_files and not restaged_any else '' }}
),

appended_rows as (
    {%- if new_files %}
        select
            new_rows.activity_id,
            new_rows.lead_id,
            new_rows.activity_type,
            new_rows.occurred_at,
            new_rows.detail
        from {{ read_raw_files_named('activities', new_files | map(attribute='path') | list) }} as new_rows
        inner join changed_leads
            on coalesce({{ clean_text('new_rows.lead_id') }}, '') = changed_leads.lead_key
        where not changed_leads.is_restaged
    {%- else %}
        select * from restaged_rows
        where false
    {%- endif %}
)

select * from restaged_rows
union all
select * from appended_rows
