"""Stand-ins for dbt's Jinja context so SQLFluff's jinja templater can render the models.

Each function returns SQL of the same shape as the real macro on DuckDB; only the shape matters
for linting. Loaded through `library_path` in .sqlfluff; not imported by the project.
"""

PROJECT_VARS = {
    "mql_threshold": 100,
    "mql_fit_grades": ["A", "B"],
    "as_of": None,
    "conversion_window_days": 90,
    "raw_files": {},
    "scoring_rule_slots": 2,
}


def ref(name, *args, **kwargs):
    return name


def source(source_name, table_name):
    return f"{source_name}__{table_name}"


def var(name, default=None):
    return PROJECT_VARS.get(name, default)


def run_var(name, default=None):
    return var(name, default)


def config(*args, **kwargs):
    return ""


def is_incremental():
    return False


def raw_table(table_name):
    return f"raw_{table_name}"


def raw_file_keys(table_name):
    return [{"path": f"/raw/{table_name}.parquet", "key": f"/raw/{table_name}.parquet|1|1"}]


def read_raw_files_named(table_name, paths):
    return "read_parquet([" + ", ".join(f"'{path}'" for path in paths) + "], filename = true)"


def clean_text(expression):
    return f"nullif(trim(cast({expression} as varchar)), '')"


def parse_number(expression):
    return f"try_cast({expression} as double)"


def parse_boolean(expression):
    return f"case when lower({expression}) in ('true') then true end"


def parse_iso_timestamp(expression):
    return f"try_cast({expression} as timestamp)"


def build_clock_timestamp():
    return "cast('2026-01-01 00:00:00' as timestamp)"


def as_of_timestamp():
    return "cast('2026-01-01 00:00:00' as timestamp)"


def epoch_seconds(expression):
    return f"epoch({expression})"


def type_double():
    return "double"


def pack_doubles(expressions):
    return "array[" + ", ".join(f"cast({expression} as double)" for expression in expressions) + "]"


def packed_double(column, position):
    return f"({column})[{position}]"


def normalize_words(expression):
    return f"concat(' ', lower({expression}), ' ')"


def decayed_sum(running_sum, half_life_days, seconds_since_origin):
    return f"({running_sum} * pow(2.0, -1.0 * ({seconds_since_origin}) / ({half_life_days} * 86400.0)))"


def filtered_window_sum(value, condition, window_name):
    return f"coalesce(sum({value}) filter (where {condition}) over {window_name}, 0.0)"


def rule_slot_columns():
    return ", ".join(f"max(case when rule_slot = {slot} then half_life_days end) as half_life_days_{slot}, "
                     f"max(case when rule_slot = {slot} then max_points end) as max_points_{slot}"
                     for slot in range(1, 3))


def engagement_score():
    return "greatest(0.0, " + " + ".join(capped_sum(f"decayed_sum_{slot}", f"max_points_{slot}") for slot in range(1, 3)) + ")"


def capped_sum(decayed, max_points):
    return f"coalesce(sign({decayed}) * least(abs({decayed}), {max_points}), 0.0)"


def median(expression):
    return f"median({expression})"


def rescored_rows(relation, alias, condition=None):
    return f"select {alias}.* from {relation} as {alias} where {condition or 'true'}"


def review_threshold_grid():
    return [50.0, 100.0]


def funnel_counts():
    return ("count(*) as mqls, count(sal_at) as sals, "
            "count(case when is_sql_within_window then lead_id end) as sqls_within_window")


def funnel_rates():
    return "mqls, sals, cast(sals as double) / nullif(mqls, 0) as mql_to_sal_rate"


def regexp_extract_group(expression, pattern, group):
    return f"regexp_extract({expression}, '{pattern}', {group})"


def round_decimals(expression, places):
    return f"round({expression}, {places})"


def scoring_materialization():
    return "incremental"


def prior_build_relation(identifier=None):
    return None


def delete_rescored_leads():
    return ""


def delete_raw_files_gone(table_name):
    return ""


def assert_incremental_columns(required):
    return ""


def fingerprint_agg(columns, condition="true"):
    return f"coalesce(bit_xor(case when {condition} then hash({', '.join(columns)}) end), 0)"


def is_changed(current, prior):
    return f"({current} <> {prior} or ({current} is null) <> ({prior} is null))"


def delete_changed_activity_leads():
    return ""


def staged_activities(source_relation, settled_rows=None):
    return f"select * from {source_relation}"


def row_fingerprint(columns):
    return f"hash({', '.join(columns)})"


def rule_sum_or_zero(column_prefix, slot, slot_kinds, kinds):
    return f"{column_prefix}{slot}"


def rule_slot_kinds():
    return {slot: "both" for slot in range(1, 17)}


def join_rescore_batch(alias, incremental, action=None):
    return ""


def rescore_earliest_prior_as_of():
    return "cast('2026-01-01 00:00:00' as timestamp)"


invocation_id = "00000000-0000-0000-0000-000000000000"


def raw_activity_files_loaded_this_run():
    return []


def activity_leads_restaged():
    return True


def materialized_cte():
    return "materialized"


def written_by_this_run():
    return "cast('00000000-0000-0000-0000-000000000000' as varchar)"


def rows_written_this_run(relation, alias, condition=None):
    return f"select {alias}.* from {relation} as {alias} where {condition or 'true'}"


def reuse_materialization():
    return "incremental"


def delete_unless_reused():
    return ""


def select_unless_reused(relation_sql):
    return f"select\n    *,\n    cast('' as varchar) as inputs_fingerprint\nfrom {relation_sql}"


def prior_build_as_of(prior):
    return None


def value_of_greatest(expression, keys):
    return f"arg_max({expression}, ({', '.join(keys)}))"


def reuse_unchanged_config():
    return {}


def activity_id_key(column):
    return f"cast(md5_number({column}) >> 64 as ubigint)"


def rows_of_leads(relation, alias, lead_ids):
    return f"{alias}.lead_id is not null"


def observed_leads_recounted():
    return "select lead_id from int_leads_lift_observed"


def delete_recounted_observed_leads():
    return ""
