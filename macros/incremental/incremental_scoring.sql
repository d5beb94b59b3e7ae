{% macro scoring_materialization() %}
    {#- How the activity-grain scoring models are kept: incremental where the engine can delete
        rows (DuckDB, Postgres), a table rebuilt on every run on Spark (plain Parquet tables). -#}
    {{ return(adapter.dispatch('scoring_materialization', 'lead_scoring')()) }}
{% endmacro %}

{% macro default__scoring_materialization() %}
    {{ return('incremental') }}
{% endmacro %}

{% macro spark__scoring_materialization() %}
    {{ return('table') }}
{% endmacro %}

{% macro prior_build_relation(identifier=none) %}
    {#- A table as the previous build left it in this warehouse, or none: the first build, a
        --full-refresh, parsing, or an engine without incremental runs. A planning model reads its
        own previous version (identifier none: dbt builds the new one beside it, then swaps) or an
        incremental model's table before that model runs again. -#}
    {%- if not execute or flags.FULL_REFRESH or lead_scoring.scoring_materialization() != 'incremental' -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(adapter.get_relation(database=this.database, schema=this.schema,
                                   identifier=identifier or this.identifier)) }}
{% endmacro %}

{% macro delete_changed_activity_leads() %}
    {#- Pre-hook of the incremental int_activities_validated: drop the rows of every lead key
        int_activity_leads_changed restages; the run stages them again (nothing when it restages
        none: the keys it appends to keep their rows). -#}
    {%- if is_incremental() and lead_scoring.activity_leads_restaged() -%}
        delete from {{ this }}
        where coalesce(lead_id, '') in (
            select lead_key from {{ ref('int_activity_leads_changed') }}
            where is_restaged
        )
    {%- endif -%}
{% endmacro %}

{% macro activity_leads_restaged() %}
    {#- Whether int_activity_leads_changed restages any lead key (is_restaged): true while parsing
        and in unit tests, where nothing is known. -#}
    {%- set changed = ref('int_activity_leads_changed') -%}
    {%- if not execute or model.resource_type == 'unit_test' -%}
        {{ return(true) }}
    {%- endif -%}
    {%- set result = run_query("select count(*) from " ~ changed ~ " where is_restaged") -%}
    {{ return(result.columns[0].values()[0] > 0) }}
{% endmacro %}

{% macro join_rescore_batch(alias, incremental, action=none) %}
    {#- In an incremental run of the scoring models (`incremental`: the model's is_incremental(),
        passed in so unit tests can override it), keep the activities (`alias`) this run scores:
        every one of the leads the plan recomputes, those after the previous as_of of the leads it
        extends; `action` ('recompute' or 'extend') keeps only those of one kind. Nothing in a full
        build. -#}
    {%- if incremental -%}
        inner join {{ ref('int_lead_rescore_plan') }} as plan
            on {{ alias }}.lead_id = plan.lead_id
                and (
                    {%- if action in (none, 'recompute') %}
                    plan.action = 'recompute'
                    {%- endif %}
                    {%- if action is none %}
                    or
                    {%- endif %}
                    {%- if action in (none, 'extend') %}
                    (plan.action = 'extend' and {{ alias }}.occurred_at > plan.prior_as_of)
                    {%- endif %}
                )
    {%- endif -%}
{% endmacro %}

{% macro rescored_rows(relation, alias, condition=none) %}
    {#- In an incremental run, the rows of `relation` (activity grain, aliased `alias`) this run
        rescores: those after the previous as_of of the leads the plan extends, and every row of
        the leads it recomputes; `condition` filters both. Every row a build wrote is at or before
        its as_of, so the first scan, with the earliest previous as_of as a constant, skips the
        row groups of earlier builds (zone maps on occurred_at). -#}
    select {{ alias }}.*
    from {{ relation }} as {{ alias }}
    {{ join_rescore_batch(alias, true, 'extend') }}
    where {{ condition or 'true' }}
    {%- set earliest_prior_as_of = rescore_earliest_prior_as_of() %}
    {%- if earliest_prior_as_of %}
        and {{ alias }}.occurred_at > {{ earliest_prior_as_of }}
    {%- endif %}
    union all
    select {{ alias }}.*
    from {{ relation }} as {{ alias }}
    where {{ condition or 'true' }}
        and {{ lead_scoring.rows_of_leads(relation, alias,
                "select lead_id from " ~ ref('int_lead_rescore_plan') ~ " where action = 'recompute'") }}
{% endmacro %}

{% macro rows_of_leads(relation, alias, lead_ids) %}
    {#- Dispatched. A condition that keeps the rows of `relation` (a table with column lead_id,
        aliased `alias`) of the leads `lead_ids` selects (a query of one column): the same as
        `alias.lead_id in (lead_ids)`. Used where an incremental run reads every column of a few
        leads' rows out of every activity (docs/decisions.md, "Incremental runs"). -#}
    {{ return(adapter.dispatch('rows_of_leads', 'lead_scoring')(relation, alias, lead_ids)) }}
{% endmacro %}

{% macro default__rows_of_leads(relation, alias, lead_ids) %}
    {{ alias }}.lead_id in ({{ lead_ids }})
{% endmacro %}

{% macro duckdb__rows_of_leads(relation, alias, lead_ids) %}
    {#- The row ids of the leads' rows, found by a scan of lead_id alone: DuckDB then reads the
        other columns of those rows only (a join filter on rowid skips the rest), where a filter
        on lead_id makes it read every column of every row first (1.5 of 1.8 s of the plan at
        L). A unit test's relation is a fixture without row ids. -#}
    {%- if model.resource_type == 'unit_test' -%}
        {{ lead_scoring.default__rows_of_leads(relation, alias, lead_ids) }}
    {%- else -%}
        {{ alias }}.rowid in (
            select rowid from {{ relation }}
            where lead_id in ({{ lead_ids }})
        )
    {%- endif -%}
{% endmacro %}

{% macro written_by_this_run() %}
    {#- The value of column written_by of the incremental activity-grain models (int_activities_episoded,
        int_activities_scored): the invocation_id of the run that wrote the row. A later model of
        the same run finds the rows this run wrote with a constant filter, which skips the row
        groups of earlier runs (macro rows_written_this_run). -#}
    cast('{{ invocation_id }}' as {{ dbt.type_string() }})
{% endmacro %}

{% macro rows_written_this_run(relation, alias, condition=none) %}
    {#- In an incremental run, the rows of `relation` (an incremental model with column written_by,
        aliased `alias`) that this run wrote for the activities it rescores: rescored_rows' rows,
        found among the rows this run wrote instead of among every row (a day's rows instead of
        a scan of the whole table for the leads the plan recomputes). The plan's join keeps only
        the rescored activities among them (a carried row is rewritten, not rescored). Unit
        tests have no invocation to match: there the plan's join alone decides. -#}
    select {{ alias }}.*
    from {{ relation }} as {{ alias }}
    {{ join_rescore_batch(alias, true) }}
    where {{ condition or 'true' }}
    {%- if model.resource_type != 'unit_test' %}
        and {{ alias }}.written_by = '{{ invocation_id }}'
    {%- endif %}
{% endmacro %}

{% macro prior_build_as_of(prior) %}
    {#- The as_of of the previous build (the latest scored_as_of of its plan, `prior`) as a SQL
        timestamp literal; none without one, while parsing and in unit tests: a constant filter the
        engine can prune row groups with (the rows earlier builds validated happened, nearly all,
        before their as_of), where a comparison with a value read from a table makes it read
        every activity. Only redundant with that comparison, never stricter. -#}
    {%- if prior is none or not execute or model.resource_type == 'unit_test' -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(lead_scoring.timestamp_literal_of("select max(scored_as_of) as value from " ~ prior)) }}
{% endmacro %}

{% macro rescore_earliest_prior_as_of() %}
    {#- The earliest previous as_of of the leads int_lead_rescore_plan extends, as a SQL timestamp
        literal (none when it extends none, while parsing, and in unit tests, whose plan is a
        fixture): a constant filter the engine can prune row groups with, where the join to the
        plan alone makes it read every activity. Only redundant with that join, never stricter. -#}
    {%- if not execute or model.resource_type == 'unit_test' -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(lead_scoring.timestamp_literal_of("select min(prior_as_of) as value from " ~ ref('int_lead_rescore_plan')
                                                ~ " where action = 'extend'")) }}
{% endmacro %}

{% macro timestamp_literal_of(query) %}
    {#- The one timestamp `query` selects (a single value named `value`, e.g. an aggregate) as a
        SQL timestamp literal, or none when it is null. -#}
    {%- set result = run_query("select cast(value as " ~ dbt.type_string() ~ ") from (" ~ query ~ ") as selected") -%}
    {%- set value = result.rows[0][0] if result.rows else none -%}
    {{ return(none if value is none else "cast('" ~ value ~ "' as " ~ dbt.type_timestamp() ~ ")") }}
{% endmacro %}

{% macro delete_rescored_leads() %}
    {#- Pre-hook of the incremental scoring models: drop every row of the leads the plan
        recomputes from scratch or removes; their rows come back (or not) with this run's batch. -#}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where lead_id in (
            select lead_id from {{ ref('int_lead_rescore_plan') }}
            where action in ('recompute', 'remove')
        )
    {%- endif -%}
{% endmacro %}

{% macro observed_leads_recounted() %}
    {#- In an incremental run of int_lead_activity_types_observed, the leads whose rows it counts
        again (a query of lead_id, duplicates possible): those of int_leads_lift_observed whose
        observed_until_at is not the one the previous build gave them (int_lead_observation_windows
        as that build left it; new to the population included; every lead when there is no such
        table), those the plan recomputes or removes, and those with activities
        int_activities_episoded numbered in this run (written_by; every lead of its fixture in unit
        tests). A lead's counts depend on nothing else. -#}
    {%- set prior_windows = lead_scoring.prior_build_relation('int_lead_observation_windows')
        if model.resource_type != 'unit_test' else none %}
    select observed.lead_id
    from {{ ref('int_leads_lift_observed') }} as observed
    {%- if prior_windows %}
        left join {{ prior_windows }} as prior_windows
            on observed.lead_id = prior_windows.lead_id
        where {{ lead_scoring.is_changed('observed.observed_until_at', 'prior_windows.observed_until_at') }}
    {%- endif %}
    union all
    select lead_id from {{ ref('int_lead_rescore_plan') }}
    where action in ('recompute', 'remove')
    union all
    select episoded.lead_id from {{ ref('int_activities_episoded') }} as episoded
    {%- if model.resource_type != 'unit_test' %}
        where episoded.written_by = '{{ invocation_id }}'
    {%- endif %}
{% endmacro %}

{% macro delete_recounted_observed_leads() %}
    {#- Pre-hook of the incremental int_lead_activity_types_observed: drop the rows of the leads it
        counts again (observed_leads_recounted). A lead that left int_leads_lift_observed is one of
        them: it is gone or no longer ICP fit, which the plan recomputes or removes. -#}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where lead_id in (
            {{ lead_scoring.observed_leads_recounted() }}
        )
    {%- endif -%}
{% endmacro %}

{% macro delete_raw_files_gone(table_name) %}
    {#- Pre-hook of int_activity_raw_file_fingerprints: drop the rows of the files that are no
        longer among the raw table's files by key (removed, or rewritten: another size or time);
        every row where the table has no file keys. -#}
    {%- if is_incremental() -%}
        {%- set files = lead_scoring.raw_file_keys(table_name) -%}
        delete from {{ this }}
        {%- if files %}
            where file_key not in (
                {%- for file in files %}'{{ file.key }}'{% if not loop.last %}, {% endif %}{% endfor -%}
            )
        {%- endif %}
    {%- endif -%}
{% endmacro %}

{% macro row_fingerprint(columns) %}
    {#- Dispatched. A 64-bit hash of a row's columns; xor-ed over a lead's rows it fingerprints
        the set of rows whatever their order. -#}
    {{ return(adapter.dispatch('row_fingerprint', 'lead_scoring')(columns)) }}
{% endmacro %}

{% macro default__row_fingerprint(columns) %}
    xxhash64({{ columns | join(', ') }})
{% endmacro %}

{% macro duckdb__row_fingerprint(columns) %}
    cast(hash({{ columns | join(', ') }}) >> 1 as bigint)
{% endmacro %}

{% macro postgres__row_fingerprint(columns) %}
    hashtextextended(concat_ws('|', {% for column in columns %}cast({{ column }} as text){% if not loop.last %}, {% endif %}{% endfor %}), 0)
{% endmacro %}

{% macro fingerprint_agg(columns, condition='true') %}
    {#- The xor of row_fingerprint over the rows meeting condition; 0 for none. -#}
    coalesce(bit_xor(case when {{ condition }} then {{ lead_scoring.row_fingerprint(columns) }} end), 0)
{% endmacro %}

{% macro is_changed(current, prior) %}
    {#- True when two values differ, null counting as a value (portable IS DISTINCT FROM). -#}
    ({{ current }} <> {{ prior }} or ({{ current }} is null) <> ({{ prior }} is null))
{% endmacro %}

{% macro assert_incremental_columns(required) %}
    {#- Stop an incremental run with one line when the warehouse's table of this model lacks a
        column this version reads (built by an older version of the models). Columns it has but
        no longer needs are caught by on_schema_change='fail'; scripts/build.py words both. -#}
    {%- if execute and is_incremental() and this is not string -%}
        {#- (a unit test's `this` is its fixture, a name) -#}
        {%- set existing = adapter.get_relation(database=this.database, schema=this.schema, identifier=this.identifier) -%}
        {%- if existing is not none -%}
            {%- set have = adapter.get_columns_in_relation(existing) | map(attribute='name') | map('lower') | list -%}
            {%- set missing = required | reject('in', have) | list -%}
            {%- if missing -%}
                {{ exceptions.raise_compiler_error(
                    this.identifier ~ " in this warehouse was built by an older version of the models (no column "
                    ~ missing | join(', ') ~ "): rebuild it with --full-refresh") }}
            {%- endif -%}
        {%- endif -%}
    {%- endif -%}
{% endmacro %}

{% macro leads_sharing_activity_ids(validated, activity_ids) %}
    {#- The lead keys ('' for a missing lead_id) of the previous build's validated activity rows
        (`validated`) whose activity_id_key is in `activity_ids` (a CTE or relation with a column
        activity_id_key): an incremental int_activities_validated stages them again, since their
        duplicate_key ranking may move when another row with the same activity_id changes. Used by
        int_activity_leads_changed; int_activity_raw_fingerprints joins the same way but keeps the
        matched keys too (settled_matches), to judge its appended keys from one scan. Matching the
        64-bit keys instead of the activity_ids may find more leads than share an id (a collision:
        one lead staged again for nothing), never fewer. -#}
    select distinct coalesce(validated.lead_id, '') as lead_key
    from {{ validated }} as validated
    inner join {{ activity_ids }}
        on validated.activity_id_key = {{ activity_ids }}.activity_id_key
{% endmacro %}

{% macro activity_id_key(column) %}
    {#- Dispatched. A 64-bit key of an activity_id (null for null), the same in every run and every
        version of the engine (an md5 on DuckDB, not its hash(), which a new version may change):
        int_activities_validated keeps it so that the incremental run's search for the day's
        activity_ids among every validated row scans integers, not strings (docs/decisions.md,
        "Incremental runs"). Equal ids have equal keys; two ids may share one (a collision), so a
        match by key is used only where a false match costs work, not a result. -#}
    {{ return(adapter.dispatch('activity_id_key', 'lead_scoring')(column)) }}
{% endmacro %}

{% macro default__activity_id_key(column) %}
    case when {{ column }} is not null then xxhash64({{ column }}) end
{% endmacro %}

{% macro duckdb__activity_id_key(column) %}
    cast(md5_number({{ column }}) >> 64 as ubigint)
{% endmacro %}

{% macro postgres__activity_id_key(column) %}
    hashtextextended({{ column }}, 0)
{% endmacro %}
