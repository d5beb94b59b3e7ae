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

{%- set slots = range(1, var('scoring_rule_slots') + 1) %}
{%- set mql_threshold = var('mql_threshold') %}

with

activities as (
    select * from {{ ref('int_activities_episoded') }}
    where is_scored
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
        activities.*,
        rule_slots.segment_gap_seconds,
        {{ epoch_seconds('activities.occurred_at') }} as occurred_epoch,
        {{ epoch_seconds(as_of_timestamp()) }} as as_of_epoch
    from activities
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

activities_from_origin as (
    select
        *,
        occurred_epoch - min(occurred_epoch) over lead_segment as seconds_since_origin,
        as_of_epoch - min(occurred_epoch) over lead_segment as as_of_seconds_since_origin
    from segmented
    window lead_segment as (partition by lead_id, episode, segment)
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
        {%- for slot in slots %}
            sum(case when rule_slot = {{ slot }} then grown_points else 0.0 end) over lead_segment_so_far
                as running_sum_{{ slot }},
            sum(case when rule_slot = {{ slot }} and half_life_days is null then points else 0.0 end)
                over lead_episode_so_far as undecayed_sum_{{ slot }},
        {%- endfor %}
        row_number() over (partition by lead_id, episode order by occurred_at, activity_id) as episode_sequence,
        count(*) over (partition by lead_id, episode) as episode_activity_count
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
        last_value(score_after_row) over (
            partition by lead_id, episode, occurred_at
            order by activity_id
            rows between unbounded preceding and unbounded following
        ) as engagement_score_after
    from scored
),

mql_rule_checked as (
    select
        scored.*,
        coalesce(
            scored.engagement_score_after >= {{ mql_threshold }} - 1e-9
            and lead_fit.is_icp_fit
            and (
                first_disqualifications.first_disqualified_at is null
                or first_disqualifications.first_disqualified_at > scored.occurred_at
            ),
            false
        ) as meets_mql_rule
    from instants_scored as scored
    left join lead_fit
        on scored.lead_id = lead_fit.lead_id
    left join first_disqualifications
        on scored.lead_id = first_disqualifications.lead_id
),

mql_flagged as (
    -- The episode's MQL moment: its first row meeting the rule (ties: smallest activity_id).
    select
        *,
        coalesce(
            episode_sequence = min(case when meets_mql_rule then episode_sequence end)
                over (partition by lead_id, episode),
            false
        ) as is_mql_event
    from mql_rule_checked
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
        episode_sequence = episode_activity_count as is_last_in_episode,
        occurred_at
    from mql_flagged
)

select * from final
