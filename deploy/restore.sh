#!/usr/bin/env bash
# Restores a dump made by backup.sh into a new, empty database.
#
#   deploy/restore.sh DUMPFILE DBNAME
#
# Connects the libpq way (PGHOST, PGPORT, PGUSER, PGPASSWORD) as a superuser. Refuses a
# database that already holds tables. Everything is restored in one transaction: all or nothing.
#
# Roles live in the server, not in the dump. This script creates what the dump needs: the four
# group roles and the owner named in the dump (as a login without password: set one with
# \password or VLEDGER_OWNER_PASSWORD). People's logins listed in app_user that do not exist on
# this server are created WITHOUT a password, so nobody can log in with them until an admin sets
# one (ALTER ROLE … PASSWORD, or \password in psql). To carry passwords to a new server, restore
# `pg_dumpall --roles-only` from the old server first (as a superuser, before this script).
set -euo pipefail

[[ $# -eq 2 ]] || { echo "usage: $0 DUMPFILE DBNAME" >&2; exit 2; }
file=$1
db=$2
name_pattern='^[a-z_][a-z0-9_]{0,62}$'
[[ -r $file ]] || { echo "$0: cannot read $file" >&2; exit 1; }
[[ $db =~ $name_pattern ]] || { echo "$0: database name \"$db\" must match $name_pattern" >&2; exit 2; }
if [[ -r $file.sha256 ]]; then
    (cd "$(dirname "$file")" && sha256sum --check --quiet "$(basename "$file").sha256") \
        || { echo "$0: $file does not match its checksum" >&2; exit 1; }
fi
here=$(cd "$(dirname "$0")" && pwd)

# The owner of the dumped objects: the owner of the volunteer table in the archive's contents.
owner=$(pg_restore --list "$file" | awk '$4 == "TABLE" && $5 == "public" && $6 == "volunteer" && owner == "" { owner = $7 } END { print owner }')
[[ -n $owner ]] || { echo "$0: $file does not look like a vledger dump (no table public.volunteer)" >&2; exit 1; }

psql -X -q -v ON_ERROR_STOP=1 -d postgres -v owner="$owner" -v password="${VLEDGER_OWNER_PASSWORD:-}" \
    -f "$here/sql/ensure-roles.sql"

exists=$(psql -X -qAt -v ON_ERROR_STOP=1 -d postgres -v db="$db" <<'SQL'
SELECT count(*) FROM pg_database WHERE datname = :'db'
SQL
)
if [[ $exists == 1 ]]; then
    tables=$(psql -X -qAt -v ON_ERROR_STOP=1 -d "$db" -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
    [[ $tables == 0 ]] || { echo "$0: database $db is not empty ($tables tables): restore into a new database" >&2; exit 1; }
else
    psql -X -q -v ON_ERROR_STOP=1 -d postgres -v db="$db" -v owner="$owner" <<'SQL'
SELECT format('CREATE DATABASE %I OWNER %I ENCODING ''UTF8'' TEMPLATE template0', :'db', :'owner') \gexec
SQL
fi

# Logins named in the dump's app_user that this server lacks: created without a password.
pg_restore --data-only --table=app_user --file=- "$file" \
    | awk -F'\t' '/^COPY public.app_user /{copy=1; next} copy && /^\\\.$/ {copy=0} copy {print $1 "\t" $2}' \
    | while IFS=$'\t' read -r login role; do
        [[ $login =~ $name_pattern && $role =~ ^(staff|organiser|office|admin)$ ]] || continue
        psql -X -q -v ON_ERROR_STOP=1 -d postgres -v login="$login" -v grp="vledger_$role" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN IN ROLE %I', :'login', :'grp')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'login') \gexec
SQL
    done

pg_restore --exit-on-error --single-transaction --dbname="$db" "$file"
psql -X -q -v ON_ERROR_STOP=1 -d "$db" -v db="$db" -f "$here/sql/lock-database.sql"
echo "$db"
