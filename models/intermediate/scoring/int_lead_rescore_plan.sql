-- One row per lead that exists at as_of or had scores in the previous build: what this build
-- does with the lead's rows in the incremental scoring models, and the fingerprint of every
-- input its scores depend on (read back by the next build).
--
-- action:
--   extend    - nothing at or before the previous build's as_of changed: only the activities
--               after it are scored, continuing from the state carried on the lead's last rows;
--   recompute - a late activity, boundary (recycle, lost opportunity) or disqualification, a
--               changed ICP fit, a new lead, changed scoring rules or threshold, an as_of earlier
--               than the last build's, or no previous build: the lead is scored from scratch;
--   remove    - the lead no longer exists at as_of (quarantined, or created after as_of).
--
-- The previous build's plan is read from this model's own table before dbt replaces it
-- (macro prior_build_relation); a --full-refresh or a first build has none.
--
-- The activity fingerprints of a lead whose validated rows this run left alone (not flagged by
-- int_activity_leads_changed) and that the previous plan kept, at an as_of not before the
-- previous one, are the previous plan's count and fingerprint (at the previous as_of) plus those
-- of its rows after the previous as_of: xor and count add up, so only the other leads' rows and
-- the day's new rows are hashed, not every activity (docs/decisions.md, "Incremental runs").
-- depends_on: {{ ref('int_activity_leads_changed') }}

{%- set prior = prior_build_relation() %}
{#- The same as prior_build.prior_as_of, as a literal the scan of the day's rows can skip earlier
    builds' row groups with. -#}
{%- set prior_as_of_literal = prior_build_as_of(prior) %}
{%- set scoring_model_version = 1 %}

with

leads as (
    select lead_id from {{ ref('int_leads_validated') }}
    where quarantine_reason is null
        and created_at <= {{ as_of_timestamp() }}
),

lead_fit as (
    select
        lead_id,
        is_icp_fit
    from {{ ref('int_leads_fit_scored') }}
),

boundaries as (
    select * from {{ ref('int_episode_boundaries') }}
),

dispositions as (
    select * from {{ ref('int_sales_dispositions_validated') }}
    where quarantine_reason is null
        and disposition = 'disqualified'
        and disposition_at <= {{ as_of_timestamp() }}
),

scoring_rules as (
    select * from {{ ref('stg_scoring_rules') }}
),

configuration as (
    -- Everything every lead's scores depend on: the rules, the MQL threshold and fit grades, and
    -- the version of the scoring models' logic; and the backtest's threshold grid, which
    -- int_mql_moments_backtested keeps per lead like the scores.
    select
        {{ dbt.hash(dbt.concat([
            dbt.listagg(
                dbt.concat([
                    'activity_type', "'|'", dbt.safe_cast('points', dbt.type_string()), "'|'",
                    "coalesce(" ~ dbt.safe_cast('max_points', dbt.type_string()) ~ ", '')", "'|'",
                    "coalesce(" ~ dbt.safe_cast('half_life_days', dbt.type_string()) ~ ", '')", "'|'",
                    dbt.safe_cast('rule_slot', dbt.type_string())
                ]),
                "';'", "order by activity_type"
            ),
            "'" ~ run_var('mql_threshold') ~ "|" ~ run_var('mql_fit_grades') | join(',') ~ "|"
                ~ var('scoring_rule_slots') ~ "|v" ~ scoring_model_version ~ "|" ~ review_threshold_grid() | join(',')
                ~ "'"
        ])) }} as config_fingerprint
    from scoring_rules
),

prior_build as (
    {%- if prior %}
        select
            max(scored_as_of) as prior_as_of,
            max(config_fingerprint) as prior_config_fingerprint
        from {{ prior }}
    {%- else %}
        select
            cast(null as {{ dbt.type_timestamp() }}) as prior_as_of,
            cast(null as {{ dbt.type_string() }}) as prior_config_fingerprint
    {%- endif %}
),

{#- A validated activity usable at as_of: the condition of every read of int_activities_validated
    below (each reads the table itself: a CTE read twice is materialized by DuckDB). -#}
{%- set usable_activity = "activities.quarantine_reason is null and activities.occurred_at <= " ~ as_of_timestamp() %}
{%- set activity_columns = ['activities.activity_id', 'activities.activity_type', 'activities.detail',
                            'activities.occurred_at'] %}

{%- if prior %}

    recounted_leads as (
        -- The leads whose fingerprints are computed from all their rows: their validated rows were
        -- staged again this run, the previous plan has none for them, or as_of went back.
        select lead_key as lead_id from {{ ref('int_activity_leads_changed') }}
        where is_changed
        union
        select leads.lead_id
        from leads
        cross join prior_build
        left join {{ prior }} as prior_plan
            on leads.lead_id = prior_plan.lead_id
                and prior_plan.action <> 'remove'
        where prior_plan.lead_id is null
            or not coalesce(prior_build.prior_as_of <= {{ as_of_timestamp() }}, false)
    ),

    activity_fingerprint_parts as (
        -- Per lead, what its fingerprints add up from: every usable row of a recounted lead; for
        -- the other leads of the previous plan, that plan's count and fingerprint, and their rows
        -- after the previous as_of.
        select
            activities.lead_id,
            1 as row_count,
            {{ row_fingerprint(activity_columns) }} as fingerprint,
            case when activities.occurred_at <= prior_build.prior_as_of then 1 else 0 end as row_count_at_prior,
            case
                when activities.occurred_at <= prior_build.prior_as_of
                    then {{ row_fingerprint(activity_columns) }}
            end as fingerprint_at_prior
        from {{ ref('int_activities_validated') }} as activities
        cross join prior_build
        where {{ usable_activity }}
            and {{ rows_of_leads(ref('int_activities_validated'), 'activities',
                                 'select lead_id from recounted_leads') }}
        union all
        select
            prior_plan.lead_id,
            prior_plan.activity_count as row_count,
            prior_plan.activity_fingerprint as fingerprint,
            prior_plan.activity_count as row_count_at_prior,
            prior_plan.activity_fingerprint as fingerprint_at_prior
        from {{ prior }} as prior_plan
        left join recounted_leads
            on prior_plan.lead_id = recounted_leads.lead_id
        where prior_plan.action <> 'remove'
            and recounted_leads.lead_id is null
        union all
        select
            activities.lead_id,
            1 as row_count,
            {{ row_fingerprint(activity_columns) }} as fingerprint,
            0 as row_count_at_prior,
            cast(null as {{ dbt.type_bigint() }}) as fingerprint_at_prior
        from {{ ref('int_activities_validated') }} as activities
        cross join prior_build
        left join recounted_leads
            on activities.lead_id = recounted_leads.lead_id
        where {{ usable_activity }}
            and activities.occurred_at > prior_build.prior_as_of
            {%- if prior_as_of_literal %}
                and activities.occurred_at > {{ prior_as_of_literal }}
            {%- endif %}
            and recounted_leads.lead_id is null
    ),

    activity_fingerprints as (
        select
            lead_id,
            cast(sum(row_count) as {{ dbt.type_bigint() }}) as activity_count,
            coalesce(bit_xor(fingerprint), 0) as activity_fingerprint,
            cast(sum(row_count_at_prior) as {{ dbt.type_bigint() }}) as activity_count_at_prior,
            coalesce(bit_xor(fingerprint_at_prior), 0) as activity_fingerprint_at_prior
        from activity_fingerprint_parts
        group by lead_id
    ),

{%- else %}

    activity_fingerprints as (
        -- Fingerprints of the lead's usable activities at as_of (kept for the next build); with no
        -- previous build, nothing to compare at its as_of.
        select
            activities.lead_id,
            count(*) as activity_count,
            {{ fingerprint_agg(activity_columns) }} as activity_fingerprint,
            0 as activity_count_at_prior,
            0 as activity_fingerprint_at_prior
        from {{ ref('int_activities_validated') }} as activities
        where {{ usable_activity }}
        group by activities.lead_id
    ),

{%- endif %}

boundary_fingerprints as (
    select
        boundaries.lead_id,
        count(*) as boundary_count,
        {{ fingerprint_agg(['boundaries.source_table', 'boundaries.source_id', 'boundaries.boundary_at']) }}
            as boundary_fingerprint,
        sum(case when boundaries.boundary_at <= prior_build.prior_as_of then 1 else 0 end)
            as boundary_count_at_prior,
        {{ fingerprint_agg(['boundaries.source_table', 'boundaries.source_id', 'boundaries.boundary_at'],
                           'boundaries.boundary_at <= prior_build.prior_as_of') }} as boundary_fingerprint_at_prior
    from boundaries
    cross join prior_build
    group by boundaries.lead_id
),

first_disqualifications as (
    select
        dispositions.lead_id,
        min(dispositions.disposition_at) as first_disqualified_at,
        min(case when dispositions.disposition_at <= prior_build.prior_as_of then dispositions.disposition_at end)
            as first_disqualified_at_prior
    from dispositions
    cross join prior_build
    group by dispositions.lead_id
),

current_leads as (
    select
        leads.lead_id,
        lead_fit.is_icp_fit,
        coalesce(activity_fingerprints.activity_count, 0) as activity_count,
        coalesce(activity_fingerprints.activity_fingerprint, 0) as activity_fingerprint,
        coalesce(activity_fingerprints.activity_count_at_prior, 0) as activity_count_at_prior,
        coalesce(activity_fingerprints.activity_fingerprint_at_prior, 0) as activity_fingerprint_at_prior,
        coalesce(boundary_fingerprints.boundary_count, 0) as boundary_count,
        coalesce(boundary_fingerprints.boundary_fingerprint, 0) as boundary_fingerprint,
        coalesce(boundary_fingerprints.boundary_count_at_prior, 0) as boundary_count_at_prior,
        coalesce(boundary_fingerprints.boundary_fingerprint_at_prior, 0) as boundary_fingerprint_at_prior,
        first_disqualifications.first_disqualified_at,
        first_disqualifications.first_disqualified_at_prior
    from leads
    left join lead_fit
        on leads.lead_id = lead_fit.lead_id
    left join activity_fingerprints
        on leads.lead_id = activity_fingerprints.lead_id
    left join boundary_fingerprints
        on leads.lead_id = boundary_fingerprints.lead_id
    left join first_disqualifications
        on leads.lead_id = first_disqualifications.lead_id
),

prior_leads as (
    {%- if prior %}
        select
            lead_id,
            is_icp_fit,
            activity_count,
            activity_fingerprint,
            boundary_count,
            boundary_fingerprint,
            first_disqualified_at
        from {{ prior }}
        where action <> 'remove'
    {%- else %}
        select
            cast(null as {{ dbt.type_string() }}) as lead_id,
            cast(null as boolean) as is_icp_fit,
            0 as activity_count,
            0 as activity_fingerprint,
            0 as boundary_count,
            0 as boundary_fingerprint,
            cast(null as {{ dbt.type_timestamp() }}) as first_disqualified_at
        where 1 = 0
    {%- endif %}
),

planned as (
    select
        coalesce(current_leads.lead_id, prior_leads.lead_id) as lead_id,
        case
            when current_leads.lead_id is null then 'remove'
            when prior_leads.lead_id is null then 'recompute'
            when {{ is_changed('configuration.config_fingerprint', 'prior_build.prior_config_fingerprint') }}
                then 'recompute'
            when {{ as_of_timestamp() }} < prior_build.prior_as_of then 'recompute'
            when current_leads.activity_count_at_prior <> prior_leads.activity_count
                or current_leads.activity_fingerprint_at_prior <> prior_leads.activity_fingerprint
                or current_leads.boundary_count_at_prior <> prior_leads.boundary_count
                or current_leads.boundary_fingerprint_at_prior <> prior_leads.boundary_fingerprint
                or {{ is_changed('current_leads.first_disqualified_at_prior', 'prior_leads.first_disqualified_at') }}
                or {{ is_changed('current_leads.is_icp_fit', 'prior_leads.is_icp_fit') }}
                then 'recompute'
            else 'extend'
        end as action,
        current_leads.is_icp_fit,
        current_leads.activity_count,
        current_leads.activity_fingerprint,
        current_leads.boundary_count,
        current_leads.boundary_fingerprint,
        current_leads.first_disqualified_at,
        configuration.config_fingerprint,
        prior_build.prior_as_of,
        {{ as_of_timestamp() }} as scored_as_of
    from current_leads
    full outer join prior_leads
        on current_leads.lead_id = prior_leads.lead_id
    cross join configuration
    cross join prior_build
)

select * from planned
