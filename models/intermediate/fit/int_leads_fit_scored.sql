-- One row per usable lead: ICP fit score (sum of matching icp_rules points, clamped to 0..100),
-- fit grade, exclusion with its reason, and whether the lead is ICP fit for MQL purposes.
-- Kept from the previous build when nothing it reads changed (macro reuse_plan; docs/decisions.md,
-- "Reused when nothing changed").

{{ config(**reuse_unchanged_config()) }}

{%- set fit_grades = run_var('mql_fit_grades') %}
{%- set fit_grade_list = "'" ~ fit_grades | join("', '") ~ "'" %}

with

leads as (
    select * from {{ ref('int_leads_validated') }}
    where quarantine_reason is null
),

accounts as (
    select * from {{ ref('stg_accounts') }}
    where quarantine_reason is null
),

seniority as (
    select * from {{ ref('int_leads_seniority_classified') }}
),

icp_rules as (
    select * from {{ ref('stg_icp_rules') }}
),

personal_domains as (
    select * from {{ ref('stg_personal_email_domains') }}
),

competitor_domains as (
    select * from {{ ref('stg_competitor_domains') }}
),

lead_attributes as (
    select
        leads.lead_id,
        leads.email,
        leads.email_domain,
        leads.is_email_malformed,
        accounts.industry,
        coalesce(accounts.country, leads.country) as fit_country,
        seniority.job_seniority,
        accounts.employee_count,
        accounts.annual_revenue_usd
    from leads
    left join accounts
        on leads.account_id = accounts.account_id
    left join seniority
        on leads.lead_id = seniority.lead_id
),

rule_matches as (
    select
        lead_attributes.lead_id,
        icp_rules.points
    from lead_attributes
    inner join icp_rules
        on (icp_rules.attribute = 'industry' and lead_attributes.industry = icp_rules.match_value)
            or (icp_rules.attribute = 'country' and lower(lead_attributes.fit_country) = icp_rules.match_value)
            or (icp_rules.attribute = 'job_seniority' and lead_attributes.job_seniority = icp_rules.match_value)
            or (
                icp_rules.attribute = 'employee_count'
                and lead_attributes.employee_count >= coalesce(icp_rules.min_value, lead_attributes.employee_count)
                and (icp_rules.max_value is null or lead_attributes.employee_count < icp_rules.max_value)
            )
            or (
                icp_rules.attribute = 'annual_revenue_usd'
                and lead_attributes.annual_revenue_usd
                >= coalesce(icp_rules.min_value, lead_attributes.annual_revenue_usd)
                and (icp_rules.max_value is null or lead_attributes.annual_revenue_usd < icp_rules.max_value)
            )
),

rule_points as (
    select
        lead_id,
        sum(points) as matched_points
    from rule_matches
    group by lead_id
),

scored as (
    select
        lead_attributes.*,
        least(greatest(coalesce(rule_points.matched_points, 0), 0), 100) as fit_score,
        personal_domains.domain is not null as is_personal_domain,
        competitor_domains.domain is not null as is_competitor_domain
    from lead_attributes
    left join rule_points
        on lead_attributes.lead_id = rule_points.lead_id
    left join personal_domains
        on lead_attributes.email_domain = personal_domains.domain
    left join competitor_domains
        on lead_attributes.email_domain = competitor_domains.domain
),

graded as (
    select
        *,
        case
            when fit_score >= 75 then 'A'
            when fit_score >= 50 then 'B'
            when fit_score >= 25 then 'C'
            else 'D'
        end as fit_grade,
        case
            when email is null then 'missing_email'
            when is_email_malformed then 'malformed_email'
            when is_personal_domain then 'personal_email_domain'
            when is_competitor_domain then 'competitor_domain'
            when job_seniority = 'student' then 'student'
        end as exclusion_reason
    from scored
),

fit_decided as (
    select
        lead_id,
        job_seniority,
        fit_grade,
        exclusion_reason,
        fit_score,
        exclusion_reason is not null as is_excluded,
        exclusion_reason is null
        {%- if fit_grades | length > 0 %}
            and fit_grade in ({{ fit_grade_list }})
        {%- else %}
            and false
        {%- endif %} as is_icp_fit
    from graded
)

{{ select_unless_reused('fit_decided') }}
