{% macro staged_activities(source_relation, settled_rows=none) %}
    {#- The body of stg_activities: distinct raw activity rows, typed, occurred_at in UTC, each with
        the reason it cannot be used. An incremental int_activities_validated stages only the raw
        rows of the leads that changed (int_activities_raw_changed) and ranks duplicate keys
        together with `settled_rows`, the rows already validated of the other leads. -#}
with

source as (
    select * from {{ source_relation }}
),

distinct_rows as (
    select distinct
        cast(activity_id as {{ dbt.type_string() }}) as activity_id_raw,
        cast(lead_id as {{ dbt.type_string() }}) as lead_id_raw,
        cast(activity_type as {{ dbt.type_string() }}) as activity_type_raw,
        cast(occurred_at as {{ dbt.type_string() }}) as occurred_at_raw,
        cast(detail as {{ dbt.type_string() }}) as detail_raw
    from source
),

typed as (
    select
        {{ clean_text('activity_id_raw') }} as activity_id,
        {{ clean_text('lead_id_raw') }} as lead_id,
        coalesce(lower({{ clean_text('activity_type_raw') }}), 'unknown') as activity_type,
        {{ clean_text('detail_raw') }} as detail,
        {{ parse_iso_timestamp(clean_text('occurred_at_raw')) }} as occurred_at,
        concat_ws(
            '|', coalesce(activity_id_raw, ''), coalesce(lead_id_raw, ''), coalesce(activity_type_raw, ''),
            coalesce(occurred_at_raw, ''), coalesce(detail_raw, '')
        ) as record_text
    from distinct_rows
),

row_checked as (
    select
        *,
        case
            when activity_id is null then 'missing_key'
            when occurred_at is null then 'unparseable_timestamp'
            when occurred_at > {{ build_clock_timestamp() }} then 'future_timestamp'
            when lead_id is null then 'missing_lead_id'
        end as row_issue,
        1 as is_staged
    from typed
),

ranking_pool as (
    select * from row_checked
    {%- if settled_rows is not none %}
        union all
        -- Rows of other leads with the same keys take part in the ranking, as they would in a full
        -- build; only this batch's rows are kept.
        select
            activity_id,
            lead_id,
            activity_type,
            detail,
            occurred_at,
            record_text,
            case
                when quarantine_reason not in ('duplicate_key', 'orphan_lead_id') then quarantine_reason
            end as row_issue,
            0 as is_staged
        from {{ settled_rows }}
        where activity_id in (select activity_id from row_checked)
    {%- endif %}
),

key_ranked as (
    select
        *,
        row_number() over (
            partition by activity_id, row_issue is null
            order by occurred_at, record_text
        ) as key_rank
    from ranking_pool
),

reasoned as (
    select
        activity_id,
        lead_id,
        activity_type,
        detail,
        record_text,
        occurred_at,
        coalesce(row_issue, case when key_rank > 1 then 'duplicate_key' end) as quarantine_reason
    from key_ranked
    where is_staged = 1
)

select * from reasoned
{% endmacro %}
