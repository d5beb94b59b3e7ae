-- One row per lead and scoring episode: the episode's engagement score decayed to as_of (SPEC
-- section 3), from the state int_activities_scored keeps on the episode's last row (the segment
-- origin and, per rule slot, the running sum of points grown from that origin and the sum of the
-- points of rules without decay). dim_leads keeps the current episode's.
--
-- Apart from int_activities_scored so that an incremental run, where every lead's score decays to
-- the new as_of, rewrites this lead-grain table instead of the last row of every episode in the
-- activity-grain one (docs/decisions.md, "Incremental runs"). It reads the last rows from
-- int_episode_last_rows (a row per episode), not from among every scored activity.

{%- set slots = range(1, var('scoring_rule_slots') + 1) %}

with

last_rows as (
    select
        lead_id,
        episode,
        activity_id,
        occurred_at,
        state_segment_origin_epoch,
        state_rule_sums
    from {{ ref('int_episode_last_rows') }}
    where is_last_in_episode
),

rule_slots as (
    select {{ rule_slot_columns() }}
    from {{ ref('stg_scoring_rules') }}
),

decayed as (
    -- S_k at as_of per slot: the running sum rescaled from the origin to as_of, plus the sum
    -- without decay (each is 0 where the slot's rule does not need it, or has no rule).
    select
        last_rows.lead_id,
        last_rows.episode,
        last_rows.activity_id,
        last_rows.occurred_at,
        {%- for slot in slots %}
            rule_slots.max_points_{{ slot }},
        {%- endfor %}
        {%- for slot in slots %}
            {{ decayed_sum(
                packed_double('last_rows.state_rule_sums', slot),
                'rule_slots.half_life_days_' ~ slot,
                epoch_seconds(as_of_timestamp()) ~ ' - last_rows.state_segment_origin_epoch') }}
            + {{ packed_double('last_rows.state_rule_sums', slots | length + slot) }} as decayed_sum_{{ slot }}
            {%- if not loop.last %},{% endif %}
        {%- endfor %}
    from last_rows
    cross join rule_slots
),

final as (
    select
        lead_id,
        episode,
        activity_id as last_activity_id,
        occurred_at as last_occurred_at,
        {{ engagement_score() }} as episode_score_at_as_of
    from decayed
)

select * from final
