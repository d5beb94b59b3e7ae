-- No lead that is not ICP fit (excluded, or a grade outside mql_fit_grades) ever became an MQL.

with

leads as (
    select * from {{ ref('dim_leads') }}
),

violations as (
    select
        lead_id,
        fit_grade,
        is_excluded,
        mql_count
    from leads
    where not is_icp_fit
        and mql_count > 0
)

select * from violations
