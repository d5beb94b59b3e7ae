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

{%- set prior = prior_build_relation() %}
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

activities as (
    select * from {{ ref('int_activities_validated') }}
    where quarantine_reason is null
        and occurred_at <= {{ as_of_timestamp() }}
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

activity_fingerprints as (
    -- Fingerprints of the lead's usable activities at as_of (kept for the next build) and at the
    -- previous build's as_of (compared with what that build kept).
    select
        activities.lead_id,
        count(*) as activity_count,
        {{ fingerprint_agg(['activities.activity_id', 'activities.activity_type', 'activities.detail',
                            'activities.occurred_at']) }} as activity_fingerprint,
        sum(case when activities.occurred_at <= prior_build.prior_as_of then 1 else 0 end)
            as activity_count_at_prior,
        {{ fingerprint_agg(['activities.activity_id', 'activities.activity_type', 'activities.detail',
                            'activities.occurred_at'],
                           'activities.occurred_at <= prior_build.prior_as_of') }} as activity_fingerprint_at_prior
    from activities
    cross join prior_build
    group by activities.lead_id
),

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
