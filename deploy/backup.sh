#!/usr/bin/env bash
# Backs up one vledger database to a timestamped custom-format dump (pg_dump -Fc) and prints
# the file's path on standard output.
#
#   deploy/backup.sh DBNAME [DIRECTORY]
#
# Connects the libpq way (PGHOST, PGPORT, PGUSER, PGPASSWORD, ~/.pgpass) as a superuser or as
# the database's owner. The dump holds the data, the schema, the grants, the policies and the
# whole audit trail; it does not hold roles (they belong to the server): see restore.sh.
# A SHA-256 checksum is written beside it (FILE.sha256).
set -euo pipefail

[[ $# -ge 1 && $# -le 2 ]] || { echo "usage: $0 DBNAME [DIRECTORY]" >&2; exit 2; }
db=$1
dir=${2:-.}
mkdir -p "$dir"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
file="$dir/vledger-$db-$stamp.dump"
[[ ! -e $file ]] || { echo "$0: $file exists already" >&2; exit 1; }
# --enable-row-security: the owner is subject to the audit tables' forced row-level security
# (it may read them through its own policy); without it pg_dump refuses to dump them.
pg_dump --format=custom --enable-row-security --no-password --file="$file.partial" --dbname="$db"
mv "$file.partial" "$file"
(cd "$(dirname "$file")" && sha256sum "$(basename "$file")" > "$(basename "$file").sha256")
echo "$file"
