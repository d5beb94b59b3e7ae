-- The job title keyword seed, each keyword normalised to padded whole words (' head of ') so a
-- title matches it only as a whole word or phrase.

with

keywords as (
    select * from {{ ref('job_title_seniority') }}
),

normalised as (
    select
        lower(trim(keyword)) as keyword,
        {{ normalize_words('keyword') }} as keyword_words,
        lower(trim(seniority)) as seniority,
        cast(priority as {{ dbt.type_int() }}) as priority
    from keywords
)

select * from normalised
