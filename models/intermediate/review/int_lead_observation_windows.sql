-- One row per lead of int_leads_lift_observed: the observed_until_at this build gave it.
-- Bookkeeping of the incremental int_lead_activity_types_observed, built after it: the next
-- build's reads this table before it is replaced (prior_build_relation) and counts again the
-- leads whose window moved or that are new to the population (macro observed_leads_recounted).
-- depends_on: {{ ref('int_lead_activity_types_observed') }}

{#- A table, never a view: a view would show the next build this build's windows, not its own. -#}
{{ config(materialized='table') }}

select
    lead_id,
    observed_until_at
from {{ ref('int_leads_lift_observed') }}
