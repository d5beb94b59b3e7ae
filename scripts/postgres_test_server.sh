#!/usr/bin/env bash
# A local PostgreSQL 15 for the postgres target's tests (make test-postgres, docs/postgres.md).
#
# On a fresh Debian 12 machine (run as root, as CI does): installs PostgreSQL 15 (package
# postgresql-15, what `apt-get install postgresql` installs there) with apt-get if it is missing,
# creates and starts cluster 15/main with the Debian cluster tools
# (initdb refuses root; pg_ctlcluster runs the server as the postgres user), then creates a
# login role and a database owned by it. Idempotent: run it as often as you like; what exists
# is left alone (the role's password is reset to the configured one).
#
# Settings, read from the same variables as profiles.yml (defaults in brackets):
#   LEAD_SCORING_PG_USER [lead_scoring]  LEAD_SCORING_PG_PASSWORD [lead_scoring]
#   LEAD_SCORING_PG_DBNAME [lead_scoring]  LEAD_SCORING_PG_PORT [5432]
# Exit 0 when the server answers a password login as that role; non-zero with one line otherwise.
set -euo pipefail

PG_VERSION=15
CLUSTER=main
PG_USER=${LEAD_SCORING_PG_USER:-lead_scoring}
PG_PASSWORD=${LEAD_SCORING_PG_PASSWORD:-lead_scoring}
PG_DBNAME=${LEAD_SCORING_PG_DBNAME:-lead_scoring}
PG_PORT=${LEAD_SCORING_PG_PORT:-5432}

say() { echo "postgres_test_server: $*"; }
fail() { echo "postgres_test_server: error: $*" >&2; exit 2; }

# Identifiers and literals are passed to psql as variables (:"name", :'value'), never pasted in.
for value in "$PG_USER" "$PG_DBNAME"; do
    [[ $value =~ ^[a-z_][a-z0-9_]*$ ]] || fail "role and database names must be lowercase identifiers, got '$value'"
done

as_postgres() {
    # Run a command as the postgres superuser (root: runuser; the postgres user itself: directly).
    # (from /, which the postgres user can always read: no "could not change directory" noise)
    if [ "$(id -u)" -eq 0 ]; then
        (cd / && runuser -u postgres -- "$@")
    elif [ "$(id -un)" = postgres ]; then
        "$@"
    else
        fail "run this as root or as the postgres user"
    fi
}

psql_admin() {
    as_postgres psql --no-psqlrc --quiet -v ON_ERROR_STOP=1 --port "$PG_PORT" "$@"
}

# 1. The server package.
if ! [ -x "/usr/lib/postgresql/$PG_VERSION/bin/postgres" ] || ! command -v pg_ctlcluster >/dev/null; then
    [ "$(id -u)" -eq 0 ] || fail "PostgreSQL $PG_VERSION is not installed; run this as root to install it with apt-get"
    say "installing PostgreSQL $PG_VERSION (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "postgresql-$PG_VERSION" >/dev/null \
        || fail "apt-get could not install postgresql-$PG_VERSION (Debian 12 has it; elsewhere install PostgreSQL $PG_VERSION first)"
fi

# 2. The cluster: created if the package's postinst did not (containers), started if down.
cluster_status() {
    # "<port> <status>" of cluster $PG_VERSION/$CLUSTER, empty when it does not exist.
    pg_lsclusters --no-header 2>/dev/null | awk -v v="$PG_VERSION" -v c="$CLUSTER" '$1 == v && $2 == c {print $3, $4}'
}
if [ -z "$(cluster_status)" ]; then
    say "creating cluster $PG_VERSION/$CLUSTER on port $PG_PORT"
    pg_createcluster --port "$PG_PORT" --encoding UTF8 --locale C.UTF-8 "$PG_VERSION" "$CLUSTER" >/dev/null
fi
read -r cluster_port cluster_state <<<"$(cluster_status)"
[ "$cluster_port" = "$PG_PORT" ] || fail "cluster $PG_VERSION/$CLUSTER listens on port $cluster_port, not $PG_PORT (LEAD_SCORING_PG_PORT)"
if [ "$cluster_state" != online ]; then
    say "starting cluster $PG_VERSION/$CLUSTER"
    pg_ctlcluster "$PG_VERSION" "$CLUSTER" start
fi
for _ in $(seq 1 30); do
    pg_isready --quiet --host localhost --port "$PG_PORT" && break
    sleep 1
done
pg_isready --quiet --host localhost --port "$PG_PORT" || fail "the server on localhost:$PG_PORT did not come up (see /var/log/postgresql/)"

# 3. The login role and its database (Debian's pg_hba.conf allows password logins over TCP).
# Collation C: text sorts by code point, as on DuckDB and Spark, so ties broken by ids and
# text (duplicate keys, activities at one instant) are broken the same way on every engine.
psql_admin --dbname postgres -v role="$PG_USER" -v password="$PG_PASSWORD" <<'SQL'
select format('create role %I login', :'role')
where not exists (select from pg_roles where rolname = :'role') \gexec
alter role :"role" with login password :'password';
SQL
psql_admin --dbname postgres -v role="$PG_USER" -v db="$PG_DBNAME" <<'SQL'
select format('create database %I owner %I encoding %L lc_collate %L lc_ctype %L template template0',
              :'db', :'role', 'UTF8', 'C', 'C.UTF-8')
where not exists (select from pg_database where datname = :'db') \gexec
SQL
collation=$(psql_admin --dbname postgres --tuples-only --no-align -v db="$PG_DBNAME" \
    <<<"select datcollate from pg_database where datname = :'db'")
[ "$collation" = C ] || fail "database $PG_DBNAME exists with collation $collation, not C (results would sort differently from DuckDB): drop it (dropdb $PG_DBNAME) and run this again"

# 4. The check the tests depend on: a password login over TCP as that role.
PGPASSWORD="$PG_PASSWORD" psql --no-psqlrc --quiet -v ON_ERROR_STOP=1 --host localhost --port "$PG_PORT" \
    --username "$PG_USER" --dbname "$PG_DBNAME" --tuples-only --command 'select 1' >/dev/null \
    || fail "cannot log in as $PG_USER to database $PG_DBNAME on localhost:$PG_PORT"
say "ready: postgresql://$PG_USER@localhost:$PG_PORT/$PG_DBNAME (PostgreSQL $PG_VERSION, cluster $CLUSTER)"
