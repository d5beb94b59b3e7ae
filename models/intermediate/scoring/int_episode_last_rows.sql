-- One row per lead and scoring episode: the episode's last row of int_activities_scored, which
-- carries the state its score continues from (segment origin, rule sums, whether it had its MQL,
-- the best eligible score). int_episode_scores_at_as_of decays it to as_of, and an incremental
-- int_activities_scored reads the previous build's rows here for the episodes it continues,
-- instead of finding them among every scored activity (docs/decisions.md, "Incremental runs").
--
-- Incremental: a run drops the rows of the leads the plan recomputes or removes (pre-hook) and
-- puts in the last rows int_activities_scored wrote in this run, each replacing its episode's
-- row (an episode that goes on gets a new last row; one that does not keeps its row).
-- depends_on: {{ ref('int_lead_rescore_plan') }}

{{ config(
    materialized=scoring_materialization(),
    incremental_strategy='delete+insert',
    unique_key=['lead_id', 'episode'],
    on_schema_change='fail',
    pre_hook="{{ delete_rescored_leads() }}"
) }}

with

last_rows as (
    {%- if is_incremental() %}
        {{ rows_written_this_run(ref('int_activities_scored'), 'scored', 'scored.is_last_in_episode') | indent(8) }}
    {%- else %}
        select * from {{ ref('int_activities_scored') }}
        where is_last_in_episode
    {%- endif %}
)

select * from last_rows
