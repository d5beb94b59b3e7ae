-- One row per activity type (every scoring rule, and every unscored type ICP-fit leads did): among
-- mature ICP-fit leads, the rate of reaching SQL within the conversion window for leads who did
-- the activity before their first MQL (or in their first review_observation_days when they never
-- became an MQL) versus leads who did not; the lift between them, sample sizes and 95% intervals
-- (Wilson for each rate, log risk ratio for the lift). See docs/mql_review.md.

{%- set z = 1.959963984540054 %}

with

observed_leads as (
    select * from {{ ref('int_leads_lift_observed') }}
),

observed_activity_types as (
    select * from {{ ref('int_lead_activity_types_observed') }}
),

scoring_rules as (
    select * from {{ ref('stg_scoring_rules') }}
),

mature_leads as (
    select
        lead_id,
        case when is_sql_within_window then 1 else 0 end as converted
    from observed_leads
    where is_mature
),

population_totals as (
    select
        count(*) as lead_count,
        coalesce(sum(converted), 0) as converted_lead_count
    from mature_leads
),

activity_types as (
    select activity_type from scoring_rules
    union
    select activity_type from observed_activity_types
),

exposures as (
    select
        observed_activity_types.activity_type,
        count(*) as exposed_lead_count,
        sum(mature_leads.converted) as exposed_converted_count
    from observed_activity_types
    inner join mature_leads
        on observed_activity_types.lead_id = mature_leads.lead_id
    group by observed_activity_types.activity_type
),

counted as (
    select
        activity_types.activity_type,
        scoring_rules.points,
        scoring_rules.max_points,
        scoring_rules.half_life_days,
        population_totals.lead_count,
        population_totals.converted_lead_count,
        coalesce(exposures.exposed_lead_count, 0) as exposed_lead_count,
        coalesce(exposures.exposed_converted_count, 0) as exposed_converted_count,
        population_totals.lead_count - coalesce(exposures.exposed_lead_count, 0) as unexposed_lead_count,
        population_totals.converted_lead_count
        - coalesce(exposures.exposed_converted_count, 0) as unexposed_converted_count,
        scoring_rules.activity_type is not null as is_scored
    from activity_types
    cross join population_totals
    left join exposures
        on activity_types.activity_type = exposures.activity_type
    left join scoring_rules
        on activity_types.activity_type = scoring_rules.activity_type
),

rates as (
    -- Counts as doubles (every engine then divides in floating point); null instead of 0 leads.
    select
        *,
        {%- for group in ['exposed', 'unexposed'] %}
            cast(nullif({{ group }}_lead_count, 0) as {{ type_double() }}) as {{ group }}_n,
            cast({{ group }}_converted_count as {{ type_double() }})
            / cast(nullif({{ group }}_lead_count, 0) as {{ type_double() }}) as {{ group }}_rate,
        {%- endfor %}
        -- Haldane-Anscombe: half a lead added to every cell when a group has no conversions.
        case
            when exposed_converted_count = 0 or unexposed_converted_count = 0
                then cast(0.5 as {{ type_double() }})
            else cast(0.0 as {{ type_double() }})
        end as zero_cell_correction
    from counted
),

intervals as (
    select
        *,
        {%- for group in ['exposed', 'unexposed'] %}
            -- Wilson score interval of {{ group }}_rate.
            ({{ group }}_rate + {{ z * z }} / (2.0 * {{ group }}_n))
            / (1.0 + {{ z * z }} / {{ group }}_n) as {{ group }}_wilson_center,
            {{ z }} / (1.0 + {{ z * z }} / {{ group }}_n) * sqrt(
                {{ group }}_rate * (1.0 - {{ group }}_rate) / {{ group }}_n
                + {{ z * z }} / (4.0 * {{ group }}_n * {{ group }}_n)
            ) as {{ group }}_wilson_half_width,
        {%- endfor %}
        -- Log risk ratio (Katz) and its standard error, zero cells corrected.
        ln(
            ((exposed_converted_count + zero_cell_correction) / (exposed_n + 2.0 * zero_cell_correction))
            / ((unexposed_converted_count + zero_cell_correction) / (unexposed_n + 2.0 * zero_cell_correction))
        ) as log_lift_corrected,
        sqrt(
            1.0 / (exposed_converted_count + zero_cell_correction)
            - 1.0 / (exposed_n + 2.0 * zero_cell_correction)
            + 1.0 / (unexposed_converted_count + zero_cell_correction)
            - 1.0 / (unexposed_n + 2.0 * zero_cell_correction)
        ) as log_lift_standard_error
    from rates
),

final as (
    select
        activity_type,
        points,
        max_points,
        half_life_days,
        cast(lead_count as {{ dbt.type_bigint() }}) as lead_count,
        cast(converted_lead_count as {{ dbt.type_bigint() }}) as converted_lead_count,
        cast(exposed_lead_count as {{ dbt.type_bigint() }}) as exposed_lead_count,
        cast(exposed_converted_count as {{ dbt.type_bigint() }}) as exposed_converted_count,
        cast(unexposed_lead_count as {{ dbt.type_bigint() }}) as unexposed_lead_count,
        cast(unexposed_converted_count as {{ dbt.type_bigint() }}) as unexposed_converted_count,
        {%- for group in ['exposed', 'unexposed'] %}
            {{ round_decimals(group ~ '_rate', 6) }} as {{ group }}_sql_rate,
            -- greatest/least skip nulls: clamp only when there is an interval.
            case
                when {{ group }}_n is not null
                    then {{ round_decimals(
                        'greatest(0.0, ' ~ group ~ '_wilson_center - ' ~ group ~ '_wilson_half_width)', 6
                    ) }}
            end as {{ group }}_sql_rate_lower,
            case
                when {{ group }}_n is not null
                    then {{ round_decimals(
                        'least(1.0, ' ~ group ~ '_wilson_center + ' ~ group ~ '_wilson_half_width)', 6
                    ) }}
            end as {{ group }}_sql_rate_upper,
        {%- endfor %}
        {{ round_decimals('case when unexposed_rate > 0 then exposed_rate / unexposed_rate end', 6) }} as lift,
        {{ round_decimals('exp(log_lift_corrected - ' ~ z ~ ' * log_lift_standard_error)', 6) }} as lift_lower,
        {{ round_decimals('exp(log_lift_corrected + ' ~ z ~ ' * log_lift_standard_error)', 6) }} as lift_upper,
        cast({{ run_var('review_observation_days', 30) }} as {{ dbt.type_int() }}) as observation_days,
        cast({{ run_var('conversion_window_days') }} as {{ dbt.type_int() }}) as conversion_window_days,
        is_scored,
        coalesce(
            exp(log_lift_corrected - {{ z }} * log_lift_standard_error) > 1.0
            or exp(log_lift_corrected + {{ z }} * log_lift_standard_error) < 1.0,
            false
        ) as is_lift_significant,
        {{ as_of_timestamp() }} as scored_as_of
    from intervals
)

select * from final
