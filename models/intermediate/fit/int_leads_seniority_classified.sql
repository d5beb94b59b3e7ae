-- One row per usable lead: job_seniority from its title. A keyword matches as a whole word or
-- phrase ('cto' does not match 'director', 'lead' does not match 'leadership'); of the matching
-- keywords the lowest priority wins (ties by keyword); no match is individual_contributor.
-- Kept from the previous build when nothing it reads changed (macro reuse_plan; docs/decisions.md,
-- "Reused when nothing changed").

{{ config(**reuse_unchanged_config()) }}

with

leads as (
    select
        lead_id,
        job_title
    from {{ ref('int_leads_validated') }}
    where quarantine_reason is null
),

keywords as (
    select * from {{ ref('stg_job_title_seniority') }}
),

titles_normalised as (
    select
        lead_id,
        job_title,
        {{ normalize_words('job_title') }} as title_words
    from leads
),

keyword_matches as (
    select
        titles_normalised.lead_id,
        keywords.keyword,
        keywords.seniority,
        row_number() over (
            partition by titles_normalised.lead_id
            order by keywords.priority, keywords.keyword
        ) as match_rank
    from titles_normalised
    inner join keywords
        on {{ dbt.position('keywords.keyword_words', 'titles_normalised.title_words') }} > 0
),

classified as (
    select
        titles_normalised.lead_id,
        titles_normalised.job_title,
        keyword_matches.keyword as matched_keyword,
        coalesce(keyword_matches.seniority, 'individual_contributor') as job_seniority
    from titles_normalised
    left join keyword_matches
        on titles_normalised.lead_id = keyword_matches.lead_id
            and keyword_matches.match_rank = 1
)

{{ select_unless_reused('classified') }}
