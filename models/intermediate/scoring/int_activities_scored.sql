-- One row per scored activity (its type has a rule) at or before as_of: the lead's engagement
-- score right after it, whether it is the lead's MQL moment for its episode, and on the last
-- row of each episode the score decayed to as_of.
--
-- Near-linear: exponential decay lets each activity type's decayed sum be kept as a running sum
-- of points * 2^(age_from_origin / half_life), rescaled by 2^(-t / half_life) when read. One
-- window pass per lead-episode, one running sum per rule slot; no join of an activity to the
-- lead's earlier activities.
--
-- The origin is the first activity of a "segment": a new segment starts after a silence of
-- more than 64 of the longest half-lives, when everything before has decayed below 2^-64 of its
-- points. That keeps 2^(age / half_life) far from overflow even when a placeholder date (1970)
-- sits beside real activity. Types without decay are summed over the whole episode instead.
--
-- Incremental (int_lead_rescore_plan, docs/decisions.md): the last row of every episode carries
-- the episode's state (segment origin, per-slot running and undecayed sums, whether it already
-- had its MQL). A run scores only the new activities of the leads it extends, with each
-- episode's carried last row in front of them standing for everything before it, and every
-- activity of the leads it recomputes (their rows are deleted first). Carried rows keep their
-- score and flags; they are rewritten because being last in the episode, and the score decayed
-- to as_of, change.
-- depends_on: {{ ref('int_lead_rescore_plan') }}

{{ config(
    materialized=scoring_materialization(),
    incremental_strategy='delete+insert',
    unique_key='activity_id',
    on_schema_change='fail',
    pre_hook="{{ delete_rescored_leads() }}"
) }}

{%- set slots = range(1, var('scoring_rule_slots') + 1) %}
{%- set mql_threshold = var('mql_threshold') %}
{%- set incremental = is_incremental() %}
{%- set slot_kinds = rule_slot_kinds() %}
{%- set state_columns = ['state_segment_origin_epoch', 'state_episode_has_mql', 'state_best_eligible_score',
                         'is_mql_eligible', 'best_eligible_score_before'] %}
{%- for slot in slots %}
    {%- do state_columns.extend(['state_running_sum_' ~ slot, 'state_undecayed_sum_' ~ slot]) %}
{%- endfor %}
{%- do assert_incremental_columns([
    'activity_id', 'lead_id', 'activity_type', 'points', 'episode', 'episode_sequence', 'occurred_at',
    'engagement_score_after', 'meets_mql_rule', 'is_mql_event', 'is_last_in_episode'] + state_columns) %}

with

activities as (
    select episoded.* from {{ ref('int_activities_episoded') }} as episoded
    {{ join_rescore_batch('episoded', incremental) }}
    where episoded.is_scored
),

batch as (
    select
        activity_id,
        lead_id,
        activity_type,
        points,
        rule_slot,
        half_life_days,
        episode,
        occurred_at,
        0 as is_carried,
        {%- if incremental %}
            cast(null as {{ type_double() }}) as carried_origin_epoch,
            {%- for slot in slots %}
                cast(null as {{ type_double() }}) as carried_running_sum_{{ slot }},
                cast(null as {{ type_double() }}) as carried_undecayed_sum_{{ slot }},
            {%- endfor %}
            cast(null as {{ type_double() }}) as carried_score,
            cast(null as boolean) as carried_meets_mql_rule,
            cast(null as boolean) as carried_is_mql_event,
            cast(null as boolean) as carried_episode_has_mql,
            cast(null as boolean) as carried_is_mql_eligible,
            cast(null as {{ type_double() }}) as carried_best_eligible_score_before,
            cast(null as {{ type_double() }}) as carried_best_eligible_score_through,
        {%- endif %}
        1 as row_weight
    from activities
    {%- if incremental %}
        union all
        -- The last row of every episode already scored: the state new activities continue from.
        select
            activity_id,
            lead_id,
            activity_type,
            points,
            cast(null as {{ dbt.type_int() }}) as rule_slot,
            cast(null as {{ type_double() }}) as half_life_days,
            episode,
            occurred_at,
            1 as is_carried,
            state_segment_origin_epoch as carried_origin_epoch,
            {%- for slot in slots %}
                state_running_sum_{{ slot }} as carried_running_sum_{{ slot }},
                state_undecayed_sum_{{ slot }} as carried_undecayed_sum_{{ slot }},
            {%- endfor %}
            engagement_score_after as carried_score,
            meets_mql_rule as carried_meets_mql_rule,
            is_mql_event as carried_is_mql_event,
            state_episode_has_mql as carried_episode_has_mql,
            is_mql_eligible as carried_is_mql_eligible,
            best_eligible_score_before as carried_best_eligible_score_before,
            state_best_eligible_score as carried_best_eligible_score_through,
            episode_sequence as row_weight
        from {{ this }}
        where is_last_in_episode
    {%- endif %}
),

scoring_rules as (
    select * from {{ ref('stg_scoring_rules') }}
),

lead_fit as (
    select
        lead_id,
        is_icp_fit
    from {{ ref('int_leads_fit_scored') }}
),

dispositions as (
    select * from {{ ref('int_sales_dispositions_validated') }}
    where quarantine_reason is null
),

first_disqualifications as (
    select
        lead_id,
        min(disposition_at) as first_disqualified_at
    from dispositions
    where
        disposition = 'disqualified'
        and disposition_at <= {{ as_of_timestamp() }}
    group by lead_id
),

rule_slots as (
    -- One row: each slot's half-life and cap, so every activity row can read every type's rule.
    select
        {%- for slot in slots %}
            max(case when rule_slot = {{ slot }} then half_life_days end) as half_life_days_{{ slot }},
            max(case when rule_slot = {{ slot }} then max_points end) as max_points_{{ slot }},
        {%- endfor %}
        64 * 86400.0 * max(half_life_days) as segment_gap_seconds
    from scoring_rules
),

activities_timed as (
    select
        batch.*,
        rule_slots.segment_gap_seconds,
        {{ epoch_seconds('batch.occurred_at') }} as occurred_epoch,
        {{ epoch_seconds(as_of_timestamp()) }} as as_of_epoch
    from batch
    cross join rule_slots
),

segment_starts_flagged as (
    select
        *,
        case
            when
                occurred_epoch - lag(occurred_epoch) over lead_episode_in_order > segment_gap_seconds
                then 1
            else 0
        end as is_segment_start
    from activities_timed
    window lead_episode_in_order as (partition by lead_id, episode order by occurred_at, activity_id)
),

segmented as (
    select
        *,
        sum(is_segment_start) over (
            partition by lead_id, episode
            order by occurred_at, activity_id
            rows between unbounded preceding and current row
        ) as segment
    from segment_starts_flagged
),

segment_origins as (
    -- A carried row brings its segment's origin; any other row could be the origin itself.
    select
        *,
        min({% if incremental %}coalesce(carried_origin_epoch, occurred_epoch){% else %}occurred_epoch{% endif %})
            over (partition by lead_id, episode, segment) as segment_origin_epoch
    from segmented
),

activities_from_origin as (
    select
        *,
        occurred_epoch - segment_origin_epoch as seconds_since_origin,
        as_of_epoch - segment_origin_epoch as as_of_seconds_since_origin
    from segment_origins
),

activities_grown as (
    select
        *,
        case
            when half_life_days is null then 0.0
            else points * pow(2.0, seconds_since_origin / (half_life_days * 86400.0))
        end as grown_points
    from activities_from_origin
),

running_sums as (
    -- Running sums in a total order (time, then activity_id): the same floating-point additions in
    -- the same order on every run, so rebuilds are byte-identical. Activities at one instant are
    -- made to share one score below (the score after the last of them).
    select
        *,
        {#- One running sum per rule: decayed rules in the segment, rules without decay over the
            episode (macro rule_slot_kinds); a slot without a rule is 0. #}
        {%- for slot in slots %}
            {%- if slot_kinds[slot] in ('decayed', 'both') %}
                sum(
                    case
                    {%- if incremental %}
                        when is_carried = 1 then coalesce(carried_running_sum_{{ slot }}, 0.0)
                    {%- endif %}
                        when rule_slot = {{ slot }} then grown_points else 0.0
                    end
                ) over lead_segment_so_far
            {%- else %}
                cast(0 as {{ type_double() }})
            {%- endif %} as running_sum_{{ slot }},
            {%- if slot_kinds[slot] in ('undecayed', 'both') %}
                sum(
                    case
                    {%- if incremental %}
                        when is_carried = 1 then coalesce(carried_undecayed_sum_{{ slot }}, 0.0)
                    {%- endif %}
                        when rule_slot = {{ slot }} and half_life_days is null then points else 0.0
                    end
                ) over lead_episode_so_far
            {%- else %}
                cast(0 as {{ type_double() }})
            {%- endif %} as undecayed_sum_{{ slot }},
        {%- endfor %}
        -- A carried row stands for the episode's rows up to it (its row_weight).
        cast(sum(row_weight) over lead_episode_so_far as {{ dbt.type_bigint() }}) as episode_sequence,
        cast(sum(row_weight) over (partition by lead_id, episode) as {{ dbt.type_bigint() }})
            as episode_activity_count
    from activities_grown
    window
        lead_segment_so_far as (
            partition by lead_id, episode, segment
            order by occurred_at, activity_id
            rows between unbounded preceding and current row
        ),
        lead_episode_so_far as (
            partition by lead_id, episode
            order by occurred_at, activity_id
            rows between unbounded preceding and current row
        )
),

decayed as (
    -- S_k at the activity's instant, and on an episode's last row S_k at as_of.
    select
        running_sums.*,
        {%- for slot in slots %}
            {{ decayed_sum('running_sum_' ~ slot, 'half_life_days_' ~ slot, 'seconds_since_origin') }}
            + undecayed_sum_{{ slot }} as decayed_sum_{{ slot }},
            case when episode_sequence = episode_activity_count then
                    {{ decayed_sum('running_sum_' ~ slot, 'half_life_days_' ~ slot, 'as_of_seconds_since_origin') }}
                    + undecayed_sum_{{ slot }}
            end as decayed_sum_at_as_of_{{ slot }},
            max_points_{{ slot }},
        {%- endfor %}
        running_sums.episode_activity_count as activities_in_episode
    from running_sums
    cross join rule_slots
),

scored as (
    select
        *,
        greatest(
            0.0,
            {%- for slot in slots %}
                {{ capped_sum('decayed_sum_' ~ slot, 'max_points_' ~ slot) }}{% if not loop.last %} +{% endif %}
            {%- endfor %}
        ) as score_after_row,
        case
            when episode_sequence = episode_activity_count
                then greatest(
                        0.0,
                        {%- for slot in slots %}
                            {{ capped_sum('decayed_sum_at_as_of_' ~ slot, 'max_points_' ~ slot) }}
                            {%- if not loop.last %} +{% endif %}
                        {%- endfor %}
                    )
        end as episode_score_at_as_of
    from decayed
),

instants_scored as (
    -- All activities at the same instant count together: each carries the score after the last.
    select
        *,
        {%- if incremental %}
            case when is_carried = 1 then carried_score else
        {%- endif %}
        last_value(score_after_row)
            over (
                partition by lead_id, episode, occurred_at
                order by activity_id
                rows between unbounded preceding and unbounded following
            )
        {%- if incremental %}
            end
        {%- endif %} as engagement_score_after
    from scored
),

eligibility_checked as (
    -- May the lead MQL at this instant, whatever its score: ICP fit and not yet disqualified.
    select
        scored.*,
        {%- if incremental %}
            case when scored.is_carried = 1 then scored.carried_is_mql_eligible else
        {%- endif %}
        coalesce(
            lead_fit.is_icp_fit
            and (
                first_disqualifications.first_disqualified_at is null
                or first_disqualifications.first_disqualified_at > scored.occurred_at
            ),
            false
        )
        {%- if incremental %}
            end
        {%- endif %} as is_mql_eligible
    from instants_scored as scored
    left join lead_fit
        on scored.lead_id = lead_fit.lead_id
    left join first_disqualifications
        on scored.lead_id = first_disqualifications.lead_id
),

mql_rule_checked as (
    -- The MQL rule, and the best score of the episode's eligible rows before this one: a row is
    -- the MQL moment at threshold T exactly when it is eligible, reaches T and that best does not
    -- (what int_mql_moments_backtested reads). A carried row stands for the rows up to it.
    select
        *,
        {%- if incremental %}
            case when is_carried = 1 then carried_meets_mql_rule else
        {%- endif %}
        is_mql_eligible and engagement_score_after >= {{ mql_threshold }} - 1e-9
        {%- if incremental %}
            end
        {%- endif %} as meets_mql_rule,
        {%- if incremental %}
            case when is_carried = 1 then carried_best_eligible_score_before else
        {%- endif %}
        max(
            case
            {%- if incremental %}
                when is_carried = 1 then carried_best_eligible_score_through
            {%- endif %}
                when is_mql_eligible then engagement_score_after
            end)
            over (
                partition by lead_id, episode
                order by occurred_at, activity_id
                rows between unbounded preceding and 1 preceding
            )
        {%- if incremental %}
            end
        {%- endif %} as best_eligible_score_before
    from eligibility_checked
),

mql_flagged as (
    -- The episode's MQL moment: its first row meeting the rule (ties: smallest activity_id). A
    -- carried row whose episode already had its MQL blocks any later one.
    select
        *,
        {%- if incremental %}
            case when is_carried = 1 then carried_is_mql_event else
        {%- endif %}
        coalesce(
            episode_sequence = min(
                case
                {%- if incremental %}
                        when is_carried = 1 and carried_episode_has_mql then episode_sequence
                        when is_carried = 1 then null
                    {%- endif %}
                    when meets_mql_rule then episode_sequence
                end
            ) over (partition by lead_id, episode),
            false
        )
        {%- if incremental %}
            end
        {%- endif %} as is_mql_event
    from mql_rule_checked
),

episode_state as (
    -- The state a later run continues from, kept on the episode's last row only.
    select
        *,
        episode_sequence = episode_activity_count as is_last_row,
        max(case
            when is_mql_event {%- if incremental %} or coalesce(carried_episode_has_mql, false){% endif %} then 1
            else 0
        end) over (partition by lead_id, episode) = 1 as episode_has_mql,
        max(
            case
            {%- if incremental %}
                when is_carried = 1 then carried_best_eligible_score_through
            {%- endif %}
                when is_mql_eligible then engagement_score_after
            end
        ) over (partition by lead_id, episode) as best_eligible_score_through
    from mql_flagged
),

final as (
    select
        activity_id,
        lead_id,
        activity_type,
        points,
        episode,
        episode_sequence,
        engagement_score_after,
        episode_score_at_as_of,
        meets_mql_rule,
        is_mql_event,
        is_mql_eligible,
        best_eligible_score_before,
        is_last_row as is_last_in_episode,
        occurred_at,
        case when is_last_row then segment_origin_epoch end as state_segment_origin_epoch,
        {%- for slot in slots %}
            case when is_last_row then running_sum_{{ slot }} end as state_running_sum_{{ slot }},
            case when is_last_row then undecayed_sum_{{ slot }} end as state_undecayed_sum_{{ slot }},
        {%- endfor %}
        case when is_last_row then episode_has_mql end as state_episode_has_mql,
        case when is_last_row then best_eligible_score_through end as state_best_eligible_score
    from episode_state
)

select * from final
