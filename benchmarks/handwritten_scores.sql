-- The baseline of scripts/benchmark.py: one hand-written DuckDB query that computes what the dbt
-- build computes for the MQL decision, as directly as DuckDB allows: deduplicated, validated
-- activities with UTC timestamps, episodes, the decayed and capped engagement score at every
-- scored activity, ICP fit and the first MQL per lead and episode. Same semantics as the models
-- (SPEC section 3, docs/decisions.md), none of their extra outputs (quarantine, lifecycle, marts).
-- Parameters are replaced by scripts/benchmark.py: {raw_dir}, {config_dir}, {as_of}, {threshold}.
create or replace temp table handwritten_scores as
with
rules as (
    select lower(trim(activity_type)) as activity_type, points::double as points,
        max_points::double as max_points, half_life_days::double as half_life_days,
        row_number() over (order by lower(trim(activity_type))) as slot
    from read_csv('{config_dir}/scoring_rules.csv', header = true)
),
raw_leads as (select distinct * from read_parquet('{raw_dir}/leads.parquet')),
leads as (
    select nullif(trim(lead_id), '') as lead_id, lower(trim(email)) as email, job_title,
        nullif(trim(account_id), '') as account_id, upper(trim(country)) as country,
        timezone('UTC', try_cast(trim(created_at) as timestamptz)) as created_at
    from raw_leads
    qualify row_number() over (partition by lead_id order by created_at, raw_leads::varchar) = 1
),
accounts as (
    select nullif(trim(account_id), '') as account_id, lower(trim(industry)) as industry,
        upper(trim(country)) as country, try_cast(employee_count as double) as employee_count,
        try_cast(annual_revenue_usd as double) as annual_revenue_usd
    from (select distinct * from read_parquet('{raw_dir}/accounts.parquet'))
    where nullif(trim(account_id), '') is not null
        and coalesce(try_cast(employee_count as double), 0) between 0 and 10000000
        and coalesce(try_cast(annual_revenue_usd as double), 0) >= 0
    qualify row_number() over (partition by account_id order by account_id) = 1
),
valid_leads as (
    select leads.* from leads
    left join accounts on leads.account_id = accounts.account_id
    where leads.lead_id is not null and leads.created_at <= {as_of}
        and (leads.account_id is null or accounts.account_id is not null)
),
seniority as (
    select l.lead_id, coalesce(arg_min(k.seniority, (k.priority, k.keyword)), 'individual_contributor') as seniority
    from valid_leads l
    left join (
        select lower(trim(keyword)) as keyword, lower(trim(seniority)) as seniority, priority,
            ' ' || trim(regexp_replace(lower(keyword), '[^a-z0-9]+', ' ', 'g')) || ' ' as words
        from read_csv('{config_dir}/job_title_seniority.csv', header = true)
    ) k on contains(' ' || trim(regexp_replace(lower(coalesce(l.job_title, '')), '[^a-z0-9]+', ' ', 'g')) || ' ', k.words)
    group by l.lead_id
),
icp as (
    select lower(trim(attribute)) as attribute, lower(nullif(trim(match_value), '')) as match_value,
        min_value::double as min_value, max_value::double as max_value, points::double as points
    from read_csv('{config_dir}/icp_rules.csv', header = true, all_varchar = true)
),
fit as (
    select l.lead_id,
        least(greatest(coalesce(sum(icp.points), 0), 0), 100) as fit_score,
        any_value(l.email) as email, any_value(s.seniority) as seniority
    from valid_leads l
    left join accounts a on l.account_id = a.account_id
    left join seniority s on l.lead_id = s.lead_id
    left join icp on (icp.attribute = 'industry' and a.industry = icp.match_value)
        or (icp.attribute = 'country' and lower(coalesce(a.country, l.country)) = icp.match_value)
        or (icp.attribute = 'job_seniority' and s.seniority = icp.match_value)
        or (icp.attribute = 'employee_count' and a.employee_count >= coalesce(icp.min_value, a.employee_count)
            and (icp.max_value is null or a.employee_count < icp.max_value))
        or (icp.attribute = 'annual_revenue_usd' and a.annual_revenue_usd >= coalesce(icp.min_value, a.annual_revenue_usd)
            and (icp.max_value is null or a.annual_revenue_usd < icp.max_value))
    group by l.lead_id
),
icp_fit as (
    select lead_id,
        fit_score >= 50 and email is not null
        and regexp_full_match(email, '[^@ ]+@[^@ ]+[.][^@ .]+')
        and split_part(email, '@', 2) not in (select lower(trim(domain)) from read_csv('{config_dir}/personal_email_domains.csv', header = true))
        and split_part(email, '@', 2) not in (select lower(trim(domain)) from read_csv('{config_dir}/competitor_domains.csv', header = true))
        and seniority <> 'student' as is_icp_fit
    from fit
),
dispositions as (
    select nullif(trim(lead_id), '') as lead_id, lower(trim(disposition)) as disposition,
        timezone('UTC', try_cast(trim(disposition_at) as timestamptz)) as disposition_at
    from (select distinct * from read_parquet('{raw_dir}/sales_dispositions.parquet'))
),
boundaries as (
    select lead_id, disposition_at as boundary_at from dispositions
    where disposition = 'recycled' and disposition_at <= {as_of}
    union all
    select nullif(trim(lead_id), ''), timezone('UTC', try_cast(trim(closed_at) as timestamptz))
    from (select distinct * from read_parquet('{raw_dir}/opportunities.parquet'))
    where lower(trim(is_won)) in ('false', 'f', '0', 'no', 'n')
        and timezone('UTC', try_cast(trim(closed_at) as timestamptz)) <= {as_of}
),
disqualified as (
    select lead_id, min(disposition_at) as first_disqualified_at from dispositions
    where disposition = 'disqualified' and disposition_at <= {as_of} group by lead_id
),
activities as (
    select a.activity_id, a.lead_id, a.occurred_at, r.slot, r.points, r.max_points, r.half_life_days
    from (
        select nullif(trim(activity_id), '') as activity_id, nullif(trim(lead_id), '') as lead_id,
            lower(trim(activity_type)) as activity_type,
            case when regexp_full_match(trim(occurred_at), '^[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}([T ][0-9]{{2}}:[0-9]{{2}}(:[0-9]{{2}}([.][0-9]+)?)?(Z|[+-][0-9]{{2}}(:?[0-9]{{2}})?)?)?$')
                then timezone('UTC', try_cast(trim(occurred_at) as timestamptz)) end as occurred_at
        from (select distinct * from read_parquet('{raw_dir}/activities.parquet'))
        qualify row_number() over (partition by activity_id order by occurred_at) = 1
    ) a
    semi join valid_leads l on a.lead_id = l.lead_id
    inner join rules r on a.activity_type = r.activity_type
    where a.activity_id is not null and a.occurred_at <= {as_of}
),
episoded as (
    -- 1 + the lead's boundaries strictly before the activity: one running count over its timeline
    select * exclude (is_boundary) from (
        select *, 1 + sum(is_boundary) over (partition by lead_id order by occurred_at, is_boundary
            rows between unbounded preceding and current row) - is_boundary as episode
        from (
            select activity_id, lead_id, occurred_at, slot, points, max_points, half_life_days, 0 as is_boundary
            from activities
            union all
            select null, lead_id, boundary_at, null, null, null, null, 1 from boundaries
        )
    ) where is_boundary = 0
),
timed as (
    select *, epoch(occurred_at) - min(epoch(occurred_at)) over (partition by lead_id, episode) as t,
        case when half_life_days is null then 0 else points * pow(2, (epoch(occurred_at) - min(epoch(occurred_at)) over (partition by lead_id, episode)) / (half_life_days * 86400)) end as grown
    from episoded
),
sums as (
    select *,
        {running_sums}
    from timed
    window w as (partition by lead_id, episode order by occurred_at range between unbounded preceding and current row)
),
scored as (
    select lead_id, activity_id, occurred_at, episode,
        greatest(0, {capped_terms}) as score
    from sums
),
mql as (
    select s.*, (s.score >= {threshold} - 1e-9 and coalesce(f.is_icp_fit, false)
            and (d.first_disqualified_at is null or d.first_disqualified_at > s.occurred_at)) as meets
    from scored s
    left join icp_fit f on s.lead_id = f.lead_id
    left join disqualified d on s.lead_id = d.lead_id
)
select lead_id, activity_id, occurred_at, episode, score,
    meets and row_number() over (partition by lead_id, episode, meets order by occurred_at, activity_id) = 1
        as is_mql_event
from mql
