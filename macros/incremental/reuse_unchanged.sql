{#- Models kept from the previous build when nothing they read changed (docs/decisions.md,
    "Reused when nothing changed"). Such a model is incremental on DuckDB and carries its
    inputs' fingerprint in a column, inputs_fingerprint. An incremental run computes the
    fingerprint again from the graph: the model's code and that of every view, ephemeral model and
    seed it reads (dbt's checksums), all of the project's macros, dbt's and the engine's versions,
    the vars they name, the file keys (path, size, modification time) of the raw tables they read,
    and the fingerprint another such model upstream wrote. When it equals the one stored, the run
    inserts nothing and keeps the rows; otherwise its pre-hook deletes every row and the run writes
    them all again. A model upstream of any other kind, a raw table without file keys (a seed,
    Spark) or a read of as_of makes the rows never reused. A read of the build's clock (rows
    quarantined as future_timestamp) reuses them only while the previous build had no such row. -#}

{% macro reuse_materialization() %}
    {#- Dispatched: incremental where the rows can be reused (DuckDB), a table elsewhere. -#}
    {{ return(adapter.dispatch('reuse_materialization', 'lead_scoring')()) }}
{% endmacro %}

{% macro default__reuse_materialization() %}
    {{ return('table') }}
{% endmacro %}

{% macro duckdb__reuse_materialization() %}
    {{ return('incremental') }}
{% endmacro %}

{% macro reuse_unchanged_config() %}
    {#- The config of a model kept when nothing it reads changed, for `config(**...)`: incremental
        where the rows can be reused (append: the run adds every row or none), its pre-hook
        deleting the rows it builds again, and the tag stored_inputs_fingerprint looks for. -#}
    {{ return({
        'materialized': lead_scoring.reuse_materialization(),
        'incremental_strategy': 'append',
        'on_schema_change': 'fail',
        'tags': ['reuse_unchanged'],
        'pre_hook': '{' ~ '{ lead_scoring.delete_unless_reused() }' ~ '}'
    }) }}
{% endmacro %}

{% macro inputs_fingerprint() %}
    {#- {fingerprint, clock} for the current model's inputs (fingerprint a string; clock: whether
        they read the build's clock), or none when its rows may never be reused (and on engines
        where the model is a table). -#}
    {%- if not execute or model.resource_type == 'unit_test' or config.get('materialized') != 'incremental' -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set macros = lead_scoring.project_macros() -%}
    {%- set macro_code = [] -%}
    {%- for macro_id in macros | sort -%}
        {%- do macro_code.append(macros[macro_id].macro_sql) -%}
    {%- endfor -%}
    {%- set engine = run_query('select version()').columns[0].values()[0] -%}
    {%- set parts = ['dbt ' ~ dbt_version ~ ' ' ~ adapter.type() ~ ' ' ~ engine,
                     'macros:' ~ local_md5(macro_code | join('\n'))] -%}
    {%- set state = {'reusable': true, 'clock': false, 'macros': macros} -%}
    {%- do lead_scoring.fingerprint_node(graph.nodes[model.unique_id], parts, [], state, true) -%}
    {%- if not state.reusable -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return({'fingerprint': local_md5(parts | join('\n')), 'clock': state.clock}) }}
{% endmacro %}

{% macro project_macros() %}
    {#- This project's macros, by unique_id: each with its code (macro_sql) and the macros it
        calls (depends_on.macros). -#}
    {%- set macros = {} -%}
    {%- for name in lead_scoring -%}
        {%- set macro_node = lead_scoring[name].macro -%}
        {%- do macros.update({macro_node.unique_id: macro_node}) -%}
    {%- endfor -%}
    {{ return(macros) }}
{% endmacro %}

{% macro fingerprint_node(node, parts, visited, state, is_self=false) %}
    {#- Adds what one node contributes to parts (see the file's comment) and marks state; recurses
        through the views and ephemeral models it reads. -#}
    {%- if node.unique_id in visited -%}
        {{ return(none) }}
    {%- endif -%}
    {%- do visited.append(node.unique_id) -%}
    {%- if node.resource_type == 'seed' -%}
        {%- do parts.append(node.unique_id ~ ':' ~ node.checksum.checksum) -%}
        {{ return(none) }}
    {%- elif node.resource_type != 'model' -%}
        {%- do state.update({'reusable': false}) -%}
        {{ return(none) }}
    {%- elif not is_self and node.config.materialized not in ('view', 'ephemeral') -%}
        {#- A model kept as a table: only a reused model, by the fingerprint it holds now. -#}
        {%- set upstream = lead_scoring.stored_inputs_fingerprint(node) -%}
        {%- if upstream is none -%}
            {%- do state.update({'reusable': false}) -%}
        {%- else -%}
            {%- do parts.append(node.unique_id ~ ':' ~ upstream) -%}
        {%- endif -%}
        {{ return(none) }}
    {%- endif -%}
    {%- do parts.append(node.unique_id ~ ':' ~ node.checksum.checksum) -%}
    {#- Its code and that of the project's macros it calls (and they call), for as_of, the clock,
        vars and raw tables. -#}
    {%- set code = [node.raw_code] -%}
    {%- set macros_seen = [] -%}
    {%- set macros_to_see = node.depends_on.macros | list -%}
    {%- for _ in range(1000) if macros_to_see -%}
        {%- set macro_id = macros_to_see.pop() -%}
        {%- if macro_id not in macros_seen and macro_id in state.macros
                and state.macros[macro_id].original_file_path != 'macros/incremental/reuse_unchanged.sql' -%}
            {%- do macros_seen.append(macro_id) -%}
            {%- do code.append(state.macros[macro_id].macro_sql) -%}
            {%- do macros_to_see.extend(state.macros[macro_id].depends_on.macros) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set code = code | join('\n') -%}
    {%- if 'as_of_timestamp(' in code -%}
        {%- do state.update({'reusable': false}) -%}
    {%- endif -%}
    {%- if 'build_clock_timestamp(' in code -%}
        {%- do state.update({'clock': true}) -%}
    {%- endif -%}
    {%- for name in modules.re.findall("(?:\\brun_var|(?<![A-Za-z0-9_])var)\\('([A-Za-z0-9_]+)'", code) | unique | sort
            if name != 'raw_files' -%}
        {%- do parts.append('var ' ~ name ~ '=' ~ tojson(lead_scoring.run_var(name, none))) -%}
    {%- endfor -%}
    {%- for table_name in modules.re.findall("raw_table\\('([A-Za-z0-9_]+)'", code) | unique | sort -%}
        {%- set files = lead_scoring.raw_file_keys(table_name) -%}
        {%- if not files -%}
            {%- do state.update({'reusable': false}) -%}
        {%- endif -%}
        {%- do parts.append('raw ' ~ table_name ~ '=' ~ (files | map(attribute='key') | sort | join(','))) -%}
    {%- endfor -%}
    {%- for upstream_id in node.depends_on.nodes -%}
        {%- if upstream_id in graph.nodes -%}
            {%- do lead_scoring.fingerprint_node(graph.nodes[upstream_id], parts, visited, state) -%}
        {%- else -%}
            {%- do state.update({'reusable': false}) -%}
        {%- endif -%}
    {%- endfor -%}
{% endmacro %}

{% macro stored_inputs_fingerprint(node) %}
    {#- The inputs fingerprint a reused model's table holds (written by this run, or kept), or
        none: not such a model, no table, no rows. -#}
    {%- if 'reuse_unchanged' not in node.tags or node.config.materialized != 'incremental' -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set relation = adapter.get_relation(database=node.database, schema=node.schema,
                                            identifier=node.alias) -%}
    {%- if relation is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set values = run_query('select min(inputs_fingerprint), max(inputs_fingerprint) from '
                               ~ relation).rows[0] -%}
    {%- if values[0] is none or values[0] != values[1] -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(values[0]) }}
{% endmacro %}

{% macro reuse_plan() %}
    {#- {fingerprint, reused} for the current model: the fingerprint its rows carry after this run,
        and whether the rows the previous build left are kept (an incremental run, the same
        fingerprint as stored and, for inputs reading the build's clock, no future_timestamp row
        then). -#}
    {%- set inputs = lead_scoring.inputs_fingerprint() -%}
    {%- if inputs is none -%}
        {{ return({'fingerprint': invocation_id, 'reused': false}) }}
    {%- elif not is_incremental() -%}
        {{ return({'fingerprint': inputs.fingerprint, 'reused': false}) }}
    {%- endif -%}
    {%- set stored = lead_scoring.stored_inputs_fingerprint(graph.nodes[model.unique_id]) -%}
    {%- set reused = stored is not none and stored == inputs.fingerprint -%}
    {%- if reused and inputs.clock -%}
        {%- set future = run_query('select count(*) from ' ~ this
                                   ~ " where quarantine_reason = 'future_timestamp'").columns[0].values()[0] -%}
        {%- set reused = future == 0 -%}
    {%- endif -%}
    {%- if not reused and stored == inputs.fingerprint -%}
        {#- The same inputs, other rows (the clock moved on): a fingerprint of this run's own, so
            that the reused models downstream are built again too. -#}
        {{ return({'fingerprint': local_md5(inputs.fingerprint ~ invocation_id), 'reused': false}) }}
    {%- endif -%}
    {{ return({'fingerprint': inputs.fingerprint, 'reused': reused}) }}
{% endmacro %}

{% macro delete_unless_reused() %}
    {#- Pre-hook of a reused model: in an incremental run that does not keep its rows, delete them
        all (the run writes every row again). -#}
    {%- if is_incremental() and not lead_scoring.reuse_plan().reused -%}
        delete from {{ this }}
    {%- endif -%}
{% endmacro %}

{% macro select_unless_reused(relation_sql) %}
    {#- The model's final select: every row of `relation_sql` (a CTE's name) with the inputs
        fingerprint, or none when the previous build's rows are kept. -#}
    {%- set plan = lead_scoring.reuse_plan() -%}
    select
        *,
        cast('{{ plan.fingerprint }}' as {{ dbt.type_string() }}) as inputs_fingerprint
    from {{ relation_sql }}
    {%- if plan.reused %}
    where 1 = 0
    {%- endif %}
{% endmacro %}
