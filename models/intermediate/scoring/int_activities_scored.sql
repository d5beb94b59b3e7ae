-- One row per scored activity (its type has a rule) at or before as_of: the lead's engagement
-- score right after it, whether it is the lead's MQL moment for its episode, and on the last
-- row of each episode the score decayed to as_of.
--
-- Near-linear: exponential decay lets each activity type's decayed sum be kept as a running sum
-- of points * 2^(age_from_origin / half_life), rescaled by 2^(-t / half_life) when read
-- (origin: the episode's first activity). One window pass over each lead-episode, one running
-- sum per rule slot; no join of an activity to the lead's earlier activities.

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
    where disposition = 'disqualified'
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
        count(*) as rule_count
    from scoring_rules
),

activities_timed as (
    select
        *,
        {{ epoch_seconds('occurred_at') }} as occurred_epoch,
        {{ epoch_seconds(as_of_timestamp()) }} as as_of_epoch
    from activities
),

activities_from_origin as (
    select
        *,
        occurred_epoch - min(occurred_epoch) over (partition by lead_id, episode) as seconds_since_origin,
        as_of_epoch - min(occurred_epoch) over (partition by lead_id, episode) as as_of_seconds_since_origin
    from activities_timed
),

activities_grown as (
    select
        *,
        points * case
            when half_life_days is null then 1.0
            else pow(2.0, seconds_since_origin / (half_life_days * 86400.0))
        end as grown_points
    from activities_from_origin
),

running_sums as (
    -- range framing: activities at the same instant count together and share one score.
    select
        *,
        {%- for slot in slots %}
            sum(case when rule_slot = {{ slot }} then grown_points else 0.0 end) over lead_episode_so_far
                as running_sum_{{ slot }},
        {%- endfor %}
        row_number() over (partition by lead_id, episode order by occurred_at, activity_id) as episode_sequence,
        count(*) over (partition by lead_id, episode) as episode_activity_count
    from activities_grown
    window lead_episode_so_far as (
        partition by lead_id, episode
        order by occurred_at
        range between unbounded preceding and current row
    )
),

decayed as (
    -- S_k at the activity's instant, and on an episode's last row S_k at as_of.
    select
        running_sums.*,
        {%- for slot in slots %}
            {{ decayed_sum('running_sum_' ~ slot, 'half_life_days_' ~ slot, 'seconds_since_origin') }}
                as decayed_sum_{{ slot }},
            case when episode_sequence = episode_activity_count then
                    {{ decayed_sum('running_sum_' ~ slot, 'half_life_days_' ~ slot, 'as_of_seconds_since_origin') }}
            end as decayed_sum_at_as_of_{{ slot }},
            max_points_{{ slot }},
        {%- endfor %}
        rule_slots.rule_count
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
        ) as engagement_score_after,
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
    from scored
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
