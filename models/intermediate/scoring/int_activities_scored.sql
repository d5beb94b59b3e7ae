-- One row per scored activity (its type has a rule) at or before as_of: the lead's engagement
-- score right after it, whether it is the lead's MQL moment for its episode, and on the last
-- row of each episode the state its score continues from (int_episode_scores_at_as_of decays it
-- to as_of, so a run does not rewrite the last row of every episode).
--
-- Near-linear: exponential decay lets each activity type's decayed sum be kept as a running sum
-- of points * 2^(age_from_origin / half_life), rescaled by 2^(-t / half_life) when read. One
-- running sum per configured rule; no join of an activity to the lead's earlier activities.
--
-- Few window passes over narrow rows (a window sorts whole rows, so each carries only what it
-- needs: activity_type and points come back from the rule slot after the windows, and the state
-- of the episode's last instant crosses the last window as one array value, null on the other
-- rows, instead of a column per rule). A group-by per episode (no sort) finds the episodes of
-- one segment, nearly all: for them one pass by instant computes every running sum (on DuckDB
-- each a FILTER aggregate, macro filtered_window_sum). An episode of several segments takes
-- three: (1) the previous activity's time, (2) by instant: segments, their origins and the sums
-- of rules without decay, (3) by instant within the segment: the decayed running sums. Then for
-- all, (4) in the total order (time, then activity_id): sequence, last row, MQL moment, best
-- eligible score before. Frames "by instant" (range over occurred_at) end after the last
-- activity of the current instant, so activities at one instant share one score, the score
-- after all of them.
--
-- The origin is the first activity of a "segment": a new segment starts after a silence of
-- more than 64 of the longest half-lives, when everything before has decayed below 2^-64 of its
-- points. That keeps 2^(age / half_life) far from overflow even when a placeholder date (1970)
-- sits beside real activity. Types without decay are summed over the whole episode instead.
--
-- Incremental (int_lead_rescore_plan, docs/decisions.md): the last row of every episode carries
-- the episode's state (segment origin, the per-slot running and undecayed sums as one array,
-- state_rule_sums, whether it already had its MQL). A run scores only the new activities of the
-- leads it extends, with the carried last row of each episode they continue in front of them
-- standing for everything before it, and every activity of the leads it recomputes (their rows
-- are deleted first). Carried rows keep their score and flags; they are rewritten because they
-- are no longer last in their episode. No other row changes: nothing here depends on as_of but
-- which activities and dispositions count. The batch is the rows int_activities_episoded wrote
-- in this run (written_by); the carried rows are the previous build's int_episode_last_rows of
-- the episodes the run continues. A carried row replaces its old version, the only row of the table
-- with its activity_id, which is last in its episode (incremental_predicates: the delete
-- looks at those rows only).
-- depends_on: {{ ref('int_lead_rescore_plan') }}

{{ config(
    materialized=scoring_materialization(),
    incremental_strategy='delete+insert',
    unique_key='activity_id',
    incremental_predicates=['is_last_in_episode'],
    on_schema_change='fail',
    pre_hook="{{ delete_rescored_leads() }}"
) }}

{%- set slots = range(1, var('scoring_rule_slots') + 1) %}
{%- set mql_threshold = run_var('mql_threshold') %}
{%- set incremental = is_incremental() %}
{%- set slot_kinds = rule_slot_kinds() %}
{%- set state_columns = ['state_segment_origin_epoch', 'state_episode_has_mql', 'state_best_eligible_score',
                         'state_rule_sums', 'is_mql_eligible', 'best_eligible_score_before'] %}
{#- What rides along every window: as few columns as possible (a window sorts whole rows). #}
{%- set carried_columns = [] %}
{%- if incremental %}
    {%- do carried_columns.extend(['is_carried', 'row_weight', 'carried_origin_epoch', 'carried_activity_type',
        'carried_points']) %}
    {%- for slot in slots %}
        {%- do carried_columns.extend(['carried_running_sum_' ~ slot, 'carried_undecayed_sum_' ~ slot]) %}
    {%- endfor %}
    {%- do carried_columns.extend(['carried_score', 'carried_meets_mql_rule', 'carried_is_mql_event',
        'carried_episode_has_mql', 'carried_best_eligible_score_before', 'carried_best_eligible_score_through']) %}
{%- endif %}
{#- activity_type and points follow from rule_slot, after the windows (a carried row brings its own). #}
{%- set row_columns = ['activity_id', 'lead_id', 'rule_slot', 'episode', 'occurred_at', 'is_mql_eligible'] %}
{#- The last row of each episode as the previous build left it: int_episode_last_rows, read before
    it is rebuilt (a unit test gives them as this model's own rows). -#}
{%- set carried_source = none %}
{%- if incremental %}
    {%- set carried_source = this if model.resource_type == 'unit_test' else prior_build_relation('int_episode_last_rows') %}
    {%- if execute and carried_source is none %}
        {{ exceptions.raise_compiler_error(
            "int_episode_last_rows is missing from this warehouse (built by an older version of the models): "
            ~ "rebuild it with --full-refresh") }}
    {%- endif %}
{%- endif %}
{%- do assert_incremental_columns([
    'activity_id', 'lead_id', 'activity_type', 'points', 'episode', 'episode_sequence', 'occurred_at',
    'engagement_score_after', 'meets_mql_rule', 'is_mql_event', 'is_last_in_episode'] + state_columns) %}

-- The SQL texts below are pasted into subqueries, where sqlfluff cannot place their indentation.
-- noqa: disable=LT02
{#- The scored activities of this run (and in an incremental run the carried rows). A full build
    pastes them as SQL text into each branch below, which reads them again rather than from one
    CTE, which DuckDB would materialize (spilling every row at size L) because it is read more
    than once. An incremental run's batch is a day's activities and the rows they continue: there
    it is one CTE, materialized once, instead of finding those rows among every activity in each
    branch. #}
{%- set batch_rows_sql %}
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
            cast(null as {{ dbt.type_string() }}) as carried_activity_type,
            cast(null as {{ type_double() }}) as carried_points,
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
    from (
        {%- if incremental %}
            select * from rescored_activities
        {%- else %}
            select * from {{ ref('int_activities_episoded') }}
            where is_scored
        {%- endif %}
    ) as activities
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
            activity_type as carried_activity_type,
            points as carried_points,
            {%- for slot in slots %}
                {{ packed_double('state_rule_sums', slot) }} as carried_running_sum_{{ slot }},
                {{ packed_double('state_rule_sums', slots | length + slot) }} as carried_undecayed_sum_{{ slot }},
            {%- endfor %}
            engagement_score_after as carried_score,
            meets_mql_rule as carried_meets_mql_rule,
            is_mql_event as carried_is_mql_event,
            state_episode_has_mql as carried_episode_has_mql,
            is_mql_eligible as carried_is_mql_eligible,
            best_eligible_score_before as carried_best_eligible_score_before,
            state_best_eligible_score as carried_best_eligible_score_through,
            episode_sequence as row_weight
        from (
            select prior.* from {{ carried_source }} as prior
            inner join (
                -- The episodes this run continues: an extended lead's (a recomputed lead starts over).
                select distinct
                    rescored_activities.lead_id,
                    rescored_activities.episode
                from rescored_activities
                inner join {{ ref('int_lead_rescore_plan') }} as plan
                    on rescored_activities.lead_id = plan.lead_id
                        and plan.action = 'extend'
            ) as continued
                on prior.lead_id = continued.lead_id
                    and prior.episode = continued.episode
            where prior.is_last_in_episode
        ) as carried_rows
    {%- endif %}
{%- endset %}
{%- set batch_sql = 'select * from batch' if incremental else batch_rows_sql %}

with

{%- if incremental %}

    rescored_activities as (
        -- What this run scores: every activity of the leads the plan recomputes, and those after
        -- the previous as_of of the leads it extends.
        {{ rows_written_this_run(ref('int_activities_episoded'), 'episoded', 'episoded.is_scored') }}
    ),

    batch as (
        {{ batch_rows_sql }}
    ),
{%- endif %}

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
        {{ rule_slot_columns() }},
        64 * 86400.0 * max(half_life_days) as segment_gap_seconds
    from scoring_rules
),

segment_gap as (
    select segment_gap_seconds from rule_slots
),

{#- Whether the lead may MQL at this instant, whatever its score: ICP fit and not yet
    disqualified. Known before any window, so it rides along narrow rows. #}
{%- set timed_sql %}
    select
        batch.*,
        {{ epoch_seconds('batch.occurred_at') }} as occurred_epoch,
        {%- if incremental %}
            case when batch.is_carried = 1 then batch.carried_is_mql_eligible else
        {%- endif %}
        coalesce(
            lead_fit.is_icp_fit
            and (
                first_disqualifications.first_disqualified_at is null
                or first_disqualifications.first_disqualified_at > batch.occurred_at
            ),
            false
        )
        {%- if incremental %}
            end
        {%- endif %} as is_mql_eligible
    from ({{ batch_sql }}) as batch
    left join lead_fit
        on batch.lead_id = lead_fit.lead_id
    left join first_disqualifications
        on batch.lead_id = first_disqualifications.lead_id
{%- endset %}

episode_spans as (
    -- Per episode: whether it is one segment (no two activities further apart than the segment
    -- gap, so no gap between neighbours either), its origin then, and its last instant. A
    -- group-by, not a window: most episodes need no sort before their running sums.
    select
        batch.lead_id,
        batch.episode,
        max({{ epoch_seconds('batch.occurred_at') }}) - min({{ epoch_seconds('batch.occurred_at') }})
        <= max(segment_gap.segment_gap_seconds) as is_one_segment,
        {%- if incremental %}
            -- A carried row is the first of its episode and brings its segment's origin.
            coalesce(max(batch.carried_origin_epoch), min({{ epoch_seconds('batch.occurred_at') }}))
        {%- else %}
            min({{ epoch_seconds('batch.occurred_at') }})
        {%- endif %} as one_segment_origin_epoch,
        max(batch.occurred_at) as last_occurred_at
    from ({{ batch_sql }}) as batch
    cross join segment_gap
    group by batch.lead_id, batch.episode
),

{#- The activities with their episode's span, for each branch to filter. #}
{%- set spanned_sql %}
    select
        activities_timed.*,
        episode_spans.is_one_segment,
        episode_spans.one_segment_origin_epoch,
        episode_spans.last_occurred_at
    from ({{ timed_sql }}) as activities_timed
    inner join episode_spans
        on
            activities_timed.lead_id = episode_spans.lead_id
            and activities_timed.episode = episode_spans.episode
{%- endset %}

-- noqa: enable=LT02

{#- The window sums of both branches below; a carried row brings each sum so far. #}
{%- set undecayed_sums = [] %}
{%- set running_sums = [] %}
{%- for slot in slots %}
    {#- A carried row's sum so far, else the terms of the slot's rows. #}
    {%- set condition = ('is_carried = 1 or ' if incremental else '') ~ 'rule_slot = ' ~ slot %}
    {%- for kind, window_name, term, carried_sum, name, sums in [
            ('undecayed', 'lead_episode_by_instant', 'undecayed_points', 'carried_undecayed_sum_', 'undecayed_sum_',
                undecayed_sums),
            ('decayed', 'lead_segment_by_instant', 'grown_points', 'carried_running_sum_', 'running_sum_',
                running_sums)]
        if slot_kinds[slot] in (kind, 'both') %}
        {%- set value = term if not incremental
            else 'case when is_carried = 1 then coalesce(' ~ carried_sum ~ slot ~ ', 0.0) else ' ~ term ~ ' end' %}
        {%- do sums.append(filtered_window_sum(value, condition, window_name) ~ ' as ' ~ name ~ slot) %}
    {%- endfor %}
{%- endfor %}
{%- set summed_columns = row_columns + carried_columns + ['segment_origin_epoch', 'is_at_last_instant'] %}
{#- The episode's state at its last instant, packed into one value for window 4 (mql_rule_checked)
    and unpacked by position at the end. #}
{%- set episode_state = ['segment_origin_epoch'] %}
{%- for slot in slots if slot_kinds[slot] in ('decayed', 'both') %}
    {%- do episode_state.append('state_running_sum_' ~ slot) %}
{%- endfor %}
{%- for slot in slots if slot_kinds[slot] in ('undecayed', 'both') %}
    {%- do episode_state.append('state_undecayed_sum_' ~ slot) %}
{%- endfor %}
{%- for sum_column in undecayed_sums + running_sums %}
    {%- do summed_columns.append(sum_column.split(' as ')[-1]) %}
{%- endfor %}
{#- The carried sums as one array of the episode's last row, the same layout for any rules: the
    running sum of every slot (1 to scoring_rule_slots), then the undecayed sum of every slot (0
    for a slot whose rule does not need it). One array costs far less to write than a column per
    sum, null on all the other rows (docs/decisions.md, "Carried state"). #}
{%- set rule_sums = [] %}
{%- for kind, column in [('decayed', 'state_running_sum_'), ('undecayed', 'state_undecayed_sum_')] %}
    {%- for slot in slots %}
        {%- do rule_sums.append(packed_double('episode_state', episode_state.index(column ~ slot) + 1)
            if slot_kinds[slot] in (kind, 'both') else '0') %}
    {%- endfor %}
{%- endfor %}
{#- The terms of the sums: points grown from the segment's origin (rules with decay), points as
    they are (rules without). #}
{%- set grown_points = 'case when half_life_days is null then 0.0 else points * pow(2.0, '
    ~ '(occurred_epoch - {}) / (half_life_days * 86400.0)) end as grown_points' %}
{%- set undecayed_points = 'case when half_life_days is null then points else 0.0 end as undecayed_points' %}

one_segment_grown as (
    -- Episodes of one segment (nearly all): the origin is the episode's first activity. The rows
    -- the window sorts carry only what comes after it and the terms of the sums.
    select
        {%- for column in row_columns + carried_columns %}
            {{ column }},
        {%- endfor %}
        one_segment_origin_epoch as segment_origin_epoch,
        occurred_at = last_occurred_at as is_at_last_instant,
        {{ grown_points.format('one_segment_origin_epoch') }},
        {{ undecayed_points }}
    from ({{ spanned_sql }}) as activities_spanned
    where is_one_segment
),

one_segment_sums as (
    -- One window, by instant (activities at one instant count together: every frame ends after
    -- the last of them): the rules with decay summed from the origin, those without over the
    -- whole episode.
    select
        {%- for sum_column in undecayed_sums + running_sums %}
            {{ sum_column }},
        {%- endfor %}
        *
    from one_segment_grown
    window
        lead_episode_by_instant as (
            partition by lead_id, episode
            order by occurred_at
            range between unbounded preceding and current row
        ),
        lead_segment_by_instant as (
            partition by lead_id, episode
            order by occurred_at
            range between unbounded preceding and current row
        )
),

activities_after_previous as (
    -- Episodes of several segments (a long silence, such as a placeholder date beside real
    -- activity). Window 1: the time of the episode's previous activity (which of several at one
    -- instant comes first does not matter: only one of them sees the gap).
    select
        *,
        {{ undecayed_points }},
        lag(occurred_epoch) over (partition by lead_id, episode order by occurred_at) as previous_epoch
    from ({{ spanned_sql }}) as activities_spanned
    where not is_one_segment
),

segment_starts_flagged as (
    select
        activities_after_previous.*,
        case
            when activities_after_previous.previous_epoch is null then 1
            when activities_after_previous.occurred_epoch - activities_after_previous.previous_epoch
                > segment_gap.segment_gap_seconds then 1
            else 0
        end as is_segment_start
    from activities_after_previous
    cross join segment_gap
),

segmented as (
    -- Window 2, by instant: the segment, its origin (a carried row brings its own; epochs only
    -- grow along the episode, so the latest start's is the running maximum) and the rules
    -- without decay summed over the whole episode.
    select
        {%- for column in row_columns + carried_columns %}
            {{ column }},
        {%- endfor %}
        points,
        occurred_epoch,
        half_life_days,
        occurred_at = last_occurred_at as is_at_last_instant,
        {%- for sum_column in undecayed_sums %}
            {{ sum_column }},
        {%- endfor %}
        sum(is_segment_start) over lead_episode_by_instant as segment,
        max(
            case
                when is_segment_start = 1 then
                    {%- if incremental %} coalesce(carried_origin_epoch, occurred_epoch)
                    {%- else %} occurred_epoch{% endif %}
            end
        ) over lead_episode_by_instant as segment_origin_epoch
    from segment_starts_flagged
    window lead_episode_by_instant as (
        partition by lead_id, episode
        order by occurred_at
        range between unbounded preceding and current row
    )
),

several_segments_sums as (
    -- Window 3, by instant within the segment: one running sum per rule with decay.
    select
        {%- for sum_column in running_sums %}
            {{ sum_column }},
        {%- endfor %}
        *
    from (select *, {{ grown_points.format('segment_origin_epoch') }} from segmented) as grown
    window lead_segment_by_instant as (
        partition by lead_id, episode, segment
        order by occurred_at
        range between unbounded preceding and current row
    )
),

running_sums as (
    {%- for branch in ['one_segment_sums', 'several_segments_sums'] %}
        select
            {%- for column in summed_columns %}
                {{ column }},
            {%- endfor %}
            {{ epoch_seconds('occurred_at') }} - segment_origin_epoch as seconds_since_origin
        from {{ branch }}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

decayed as (
    -- S_k at the activity's instant. The sums so far (state_*) are kept at the last instant only
    -- (mql_rule_checked): the state a later run continues from and int_episode_scores_at_as_of
    -- decays to as_of.
    select
        running_sums.activity_id,
        running_sums.lead_id,
        running_sums.rule_slot,
        running_sums.episode,
        running_sums.occurred_at,
        running_sums.is_at_last_instant,
        running_sums.is_mql_eligible,
        {%- if incremental %}
            running_sums.row_weight,
            running_sums.is_carried,
            running_sums.carried_activity_type,
            running_sums.carried_points,
            running_sums.carried_score,
            running_sums.carried_meets_mql_rule,
            running_sums.carried_is_mql_event,
            running_sums.carried_episode_has_mql,
            running_sums.carried_best_eligible_score_before,
            running_sums.carried_best_eligible_score_through,
        {%- endif %}
        {%- for slot in slots if slot_kinds[slot] in ('decayed', 'both') %}
            running_sums.running_sum_{{ slot }} as state_running_sum_{{ slot }},
        {%- endfor %}
        {%- for slot in slots if slot_kinds[slot] in ('undecayed', 'both') %}
            running_sums.undecayed_sum_{{ slot }} as state_undecayed_sum_{{ slot }},
        {%- endfor %}
        {%- for slot in slots %}
            {%- set running_sum = rule_sum_or_zero('running_sums.running_sum_', slot, slot_kinds, ['decayed']) %}
            {%- set undecayed_sum = rule_sum_or_zero('running_sums.undecayed_sum_', slot, slot_kinds, ['undecayed']) %}
            {%- set half_life = 'rule_slots.half_life_days_' ~ slot %}
            {{ decayed_sum(running_sum, half_life, 'running_sums.seconds_since_origin') }} + {{ undecayed_sum }}
                as decayed_sum_{{ slot }},
            rule_slots.max_points_{{ slot }},
        {%- endfor %}
        running_sums.segment_origin_epoch
    from running_sums
    cross join rule_slots
),

scored as (
    select
        *,
        {%- if incremental %}
            case when is_carried = 1 then carried_score else
        {%- endif %}
        {{ engagement_score() }}
        {%- if incremental %}
            end
        {%- endif %} as engagement_score_after
    from decayed
),

mql_rule_checked as (
    select
        activity_id,
        lead_id,
        rule_slot,
        episode,
        occurred_at,
        is_mql_eligible,
        engagement_score_after,
        -- What only the episode's last instant keeps, as one value: null on every other row.
        case when is_at_last_instant then {{ pack_doubles(episode_state) }} end as episode_state,
        {%- if incremental %}
            is_carried,
            row_weight,
            carried_activity_type,
            carried_points,
            carried_is_mql_event,
            carried_best_eligible_score_before,
            carried_episode_has_mql,
            case when is_carried = 1 then carried_meets_mql_rule else
        {%- endif %}
        is_mql_eligible and engagement_score_after >= {{ mql_threshold }} - 1e-9
        {%- if incremental %}
            end
        {%- endif %} as meets_mql_rule,
        {%- if incremental %}
            case when is_carried = 1 then carried_best_eligible_score_through else
        {%- endif %}
        case when is_mql_eligible then engagement_score_after end
        {%- if incremental %}
            end
        {%- endif %} as best_eligible_score_through_row
    from scored
),

mql_rule_flagged as (
    -- 1 when the row meets the MQL rule; a carried row: when its episode already had its MQL.
    select
        *,
        case
        {%- if incremental %}
            when is_carried = 1 and carried_episode_has_mql then 1
            when is_carried = 1 then 0
        {%- endif %}
            when meets_mql_rule then 1
            else 0
        end as has_mql_through_row
    from mql_rule_checked
),

mql_moments as (
    -- Window 4, in the total order (time, then activity_id): the row's place in the episode (a
    -- carried row stands for the episode's rows up to it: its row_weight), whether it is the
    -- last, whether an earlier row met the MQL rule (a carried row whose episode already had its
    -- MQL counts), and the best score of the episode's eligible rows before it (a row is the MQL
    -- moment at threshold T exactly when it is eligible, reaches T and that best does not: what
    -- int_mql_moments_backtested reads).
    select
        *,
        {%- if incremental %}
            cast(sum(row_weight) over lead_episode_so_far as {{ dbt.type_bigint() }}) as episode_sequence,
        {%- else %}
            cast(row_number() over lead_episode_ordered as {{ dbt.type_bigint() }}) as episode_sequence,
        {%- endif %}
        lead(activity_id) over lead_episode_ordered is null as is_last_row,
        max(has_mql_through_row) over lead_episode_before as has_mql_before,
        max(best_eligible_score_through_row) over lead_episode_before as best_eligible_score_before_row
    from mql_rule_flagged
    window
        lead_episode_ordered as (
            partition by lead_id, episode
            order by occurred_at, activity_id
        ),
        {%- if incremental %}
        lead_episode_so_far as (
            partition by lead_id, episode
            order by occurred_at, activity_id
            rows between unbounded preceding and current row
        ),
        {%- endif %}
        lead_episode_before as (
            partition by lead_id, episode
            order by occurred_at, activity_id
            rows between unbounded preceding and 1 preceding
        )
),

mql_flagged as (
    -- The episode's MQL moment: its first row meeting the rule (ties: smallest activity_id).
    select
        *,
        {%- if incremental %}
            case when is_carried = 1 then carried_is_mql_event else
        {%- endif %}
        meets_mql_rule and coalesce(has_mql_before, 0) = 0
        {%- if incremental %}
            end
        {%- endif %} as is_mql_event,
        {%- if incremental %}
            case when is_carried = 1 then carried_best_eligible_score_before else
        {%- endif %}
        best_eligible_score_before_row
        {%- if incremental %}
            end
        {%- endif %} as best_eligible_score_before,
        case
            when best_eligible_score_before_row is null then best_eligible_score_through_row
            when best_eligible_score_through_row is null then best_eligible_score_before_row
            else greatest(best_eligible_score_before_row, best_eligible_score_through_row)
        end as best_eligible_score_through
    from mql_moments
),

final as (
    -- The episode's last row keeps the state; the sums are the same at every row of its instant.
    -- The rule slot gives the type and points (a carried row brings its own).
    select
        activity_id,
        lead_id,
        {%- if incremental %}
            coalesce(scoring_rules.activity_type, mql_flagged.carried_activity_type) as activity_type,
            coalesce(scoring_rules.points, mql_flagged.carried_points) as points,
        {%- else %}
            scoring_rules.activity_type,
            scoring_rules.points,
        {%- endif %}
        episode,
        episode_sequence,
        engagement_score_after,
        meets_mql_rule,
        is_mql_event,
        is_mql_eligible,
        best_eligible_score_before,
        is_last_row as is_last_in_episode,
        occurred_at,
        case when is_last_row then {{ packed_double('episode_state', 1) }} end as state_segment_origin_epoch,
        case when is_last_row then {{ pack_doubles(rule_sums) }} end as state_rule_sums,
        case when is_last_row then has_mql_through_row = 1 or coalesce(has_mql_before, 0) = 1 end
            as state_episode_has_mql,
        case when is_last_row then best_eligible_score_through end as state_best_eligible_score,
        {{ written_by_this_run() }} as written_by
    from mql_flagged
    left join scoring_rules
        on mql_flagged.rule_slot = scoring_rules.rule_slot
)

select * from final
