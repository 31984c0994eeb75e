#!/usr/bin/env bash
# Creates a city's vledger database and its owner role on an existing PostgreSQL (15) server,
# then applies the migrations as that owner.
#
#   deploy/create-database.sh DBNAME [OWNER]
#
# Connects to the server the libpq way (PGHOST, PGPORT, PGUSER, PGPASSWORD, ~/.pgpass) as a
# superuser, or as a role with CREATEDB and CREATEROLE. OWNER defaults to DBNAME_owner.
# The owner is a login (it runs migrations, bulk loads and restores) with CREATEROLE, because
# `vledger user add` creates people's logins through a function the owner owns; it is never a
# person's day-to-day login. Give it a password with VLEDGER_OWNER_PASSWORD (hashed by the
# server; keep log_statement below 'ddl' while this runs, or set it later with psql's \password).
# VLEDGER_BIN names the vledger executable (default: vledger on PATH).
# Safe to run again: existing roles and database are kept, pending migrations applied.
set -euo pipefail

usage() { echo "usage: $0 DBNAME [OWNER]" >&2; exit 2; }
[[ $# -ge 1 && $# -le 2 ]] || usage
db=$1
owner=${2:-${db}_owner}
name_pattern='^[a-z_][a-z0-9_]{0,62}$'
[[ $db =~ $name_pattern ]] || { echo "$0: database name \"$db\" must match $name_pattern" >&2; exit 2; }
[[ $owner =~ $name_pattern ]] || { echo "$0: owner \"$owner\" must match $name_pattern" >&2; exit 2; }
vledger=${VLEDGER_BIN:-vledger}
here=$(cd "$(dirname "$0")" && pwd)

psql -X -q -v ON_ERROR_STOP=1 -d postgres -v db="$db" -v owner="$owner" -v password="${VLEDGER_OWNER_PASSWORD:-}" \
    -f "$here/sql/ensure-roles.sql"

psql -X -q -v ON_ERROR_STOP=1 -d postgres -v db="$db" -v owner="$owner" <<'SQL'
SELECT format('CREATE DATABASE %I OWNER %I ENCODING ''UTF8'' TEMPLATE template0', :'db', :'owner')
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec
SQL

# Migrations run as the owner, so that the owner owns every object (and the policies that name it).
VLEDGER_DATABASE_URL="dbname=$db user=$owner" PGPASSWORD="${VLEDGER_OWNER_PASSWORD:-${PGPASSWORD:-}}" "$vledger" db migrate

psql -X -q -v ON_ERROR_STOP=1 -d "$db" -v db="$db" -f "$here/sql/lock-database.sql"
echo "$db"
