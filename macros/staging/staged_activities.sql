{% macro staged_activities(source_relation, settled_rows=none, rank_with_settled=true) %}
    {#- The body of stg_activities: distinct raw activity rows, typed, occurred_at in UTC, each with
        the reason it cannot be used. An incremental int_activities_validated stages only the raw
        rows of the leads that changed (int_activities_raw_changed) and ranks duplicate keys
        together with `settled_rows`, the rows already validated of the other leads.

        A full build splits the raw rows by key first (docs/decisions.md, "Duplicate keys"): a key
        on one raw row is one distinct row and first of its key, so only the rows of keys seen
        more than once go through `select distinct` and the ranking window. Three reads of the raw
        table (one of them of the key column alone) cost less than de-duplicating and sorting
        every row with its whole text.

        key_row_count is the number of distinct rows with the row's activity_id (1 for a key on
        one raw row, or on exact copies of one row; rows with no key count together): an
        incremental run counts its batch with the rows already validated that share its keys,
        which are all the other rows of those keys (int_activity_leads_changed). With
        rank_with_settled false (no lead key restaged: every row of the batch has an activity_id
        no settled row has, int_activity_raw_fingerprints) the settled rows are not read. -#}
    {%- set activity_key = "coalesce(" ~ clean_text('raw_rows.activity_id') ~ ", '')" %}
with

{%- if settled_rows is none %}

repeated_keys as (
    select {{ activity_key }} as key_text
    from {{ source_relation }} as raw_rows
    group by {{ activity_key }}
    having count(*) > 1
),

single_rows as (
    select {{ raw_activity_columns('raw_rows') }}
    from {{ source_relation }} as raw_rows
    left join repeated_keys
        on {{ activity_key }} = repeated_keys.key_text
    where repeated_keys.key_text is null
),

single_checked as (
    {{ checked_activities('single_rows') | indent(4) }}
),

{%- endif %}

repeated_rows as (
    select distinct {{ raw_activity_columns('raw_rows') }}
    from {{ source_relation }} as raw_rows
    {%- if settled_rows is none %}
        {#- A full build: only the rows of repeated keys (an incremental run ranks its whole batch). #}
        inner join repeated_keys
            on {{ activity_key }} = repeated_keys.key_text
    {%- endif %}
),

repeated_checked as (
    {{ checked_activities('repeated_rows') | indent(4) }}
),

{#- An incremental run ranks its whole batch: the pool is one intermediate result where the engine
    allows it. Inlined, DuckDB 2.0 took 19 s instead of 5 s to stage the batch of one day's new
    part at 1M leads (docs/benchmarks.md, section "c3a36be"). #}
ranking_pool as {% if settled_rows is not none %}{{ lead_scoring.materialized_cte() }} {% endif %}(
    select * from repeated_checked
    {%- if settled_rows is not none and rank_with_settled %}
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
        where activity_id in (select activity_id from repeated_checked)
    {%- endif %}
),

key_ranked as (
    select
        *,
        row_number() over (
            partition by activity_id, row_issue is null
            order by occurred_at, record_text
        ) as key_rank,
        count(*) over (partition by activity_id) as key_row_count
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
        coalesce(row_issue, case when key_rank > 1 then 'duplicate_key' end) as quarantine_reason,
        key_row_count
    from (
        {%- if settled_rows is none %}
            -- A key on one raw row is first of its key, and its only distinct row.
            select
                *,
                1 as key_rank,
                1 as key_row_count
            from single_checked
            union all
        {%- endif %}
        select * from key_ranked
    ) as ranked
    where is_staged = 1
)

select * from reasoned
{% endmacro %}


{% macro raw_activity_columns(alias) %}
    {#- The raw activity columns as text, named *_raw. -#}
    cast({{ alias }}.activity_id as {{ dbt.type_string() }}) as activity_id_raw,
    cast({{ alias }}.lead_id as {{ dbt.type_string() }}) as lead_id_raw,
    cast({{ alias }}.activity_type as {{ dbt.type_string() }}) as activity_type_raw,
    cast({{ alias }}.occurred_at as {{ dbt.type_string() }}) as occurred_at_raw,
    cast({{ alias }}.detail as {{ dbt.type_string() }}) as detail_raw
{% endmacro %}


{% macro checked_activities(raw_rows) %}
    {#- A select of `raw_rows` (columns of raw_activity_columns) typed, with record_text (the raw
        row as one text, for the quarantine report and the tie-break between duplicate keys) and
        row_issue (the first row check it fails, or null). -#}
    select
        *,
        case
            when activity_id is null then 'missing_key'
            when occurred_at is null then 'unparseable_timestamp'
            when occurred_at > {{ build_clock_timestamp() }} then 'future_timestamp'
            when lead_id is null then 'missing_lead_id'
        end as row_issue,
        1 as is_staged
    from (
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
        from {{ raw_rows }}
    ) as typed
{% endmacro %}

{% macro materialized_cte() %}
    {#- Dispatched. The keyword that makes a CTE one intermediate result instead of a text inlined
        where it is read ('' where the engine has none). -#}
    {{ return(adapter.dispatch('materialized_cte', 'lead_scoring')()) }}
{% endmacro %}

{% macro default__materialized_cte() %}
    {{ return('') }}
{% endmacro %}

{% macro duckdb__materialized_cte() %}
    {{ return('materialized') }}
{% endmacro %}

{% macro postgres__materialized_cte() %}
    {{ return('materialized') }}
{% endmacro %}
