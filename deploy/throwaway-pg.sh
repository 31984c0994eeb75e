#!/usr/bin/env bash
# A throwaway PostgreSQL server for tests: no durability, trust auth, gone on stop. One path asks
# for passwords (scram-sha-256): the empty database vledger_signin over TCP, the sign-in path
# `vledger serve` is tested with (PostgreSQL checks the password before it opens the database).
#
#   throwaway-pg.sh start DIR PORT   new cluster in DIR (must be absent or empty), listening on
#                                    127.0.0.1:PORT and on a Unix socket inside DIR; prints
#                                    postgresql://postgres@127.0.0.1:PORT/postgres on stdout
#   throwaway-pg.sh stop DIR         stops it (-m fast) and removes DIR
#   throwaway-pg.sh free-port [FROM] prints the first port >= FROM (default 54329) nothing listens on
#
# As root the server runs as the `postgres` OS user (DIR is chowned to it), since PostgreSQL
# refuses to run as root; otherwise as the current user. Progress and errors go to stderr.
# Server binaries: $VLEDGER_PG_BINDIR, else `pg_config --bindir`, else the highest
# /usr/lib/postgresql/*/bin, else pg_ctl on PATH.
set -euo pipefail

MARKER=.throwaway-pg

die() { echo "throwaway-pg: error: $*" >&2; exit 1; }
say() { echo "throwaway-pg: $*" >&2; }
usage() {
    echo "usage: $0 start DIR PORT | stop DIR | free-port [FROM]" >&2
    exit 2
}

find_bindir() {
    local dir
    if [[ -n ${VLEDGER_PG_BINDIR:-} ]]; then
        [[ -x $VLEDGER_PG_BINDIR/pg_ctl && -x $VLEDGER_PG_BINDIR/initdb ]] ||
            die "VLEDGER_PG_BINDIR=$VLEDGER_PG_BINDIR does not contain pg_ctl and initdb"
        echo "$VLEDGER_PG_BINDIR"
        return
    fi
    if command -v pg_config >/dev/null 2>&1; then
        dir=$(pg_config --bindir 2>/dev/null || true)
        if [[ -n $dir && -x $dir/pg_ctl && -x $dir/initdb ]]; then
            echo "$dir"
            return
        fi
    fi
    dir=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1 || true)
    if [[ -n $dir && -x $dir/pg_ctl && -x $dir/initdb ]]; then
        echo "$dir"
        return
    fi
    if command -v pg_ctl >/dev/null 2>&1; then
        dir=$(dirname "$(readlink -f "$(command -v pg_ctl)")")
        if [[ -x $dir/initdb ]]; then
            echo "$dir"
            return
        fi
    fi
    die "PostgreSQL server binaries not found: install the postgresql package (bash deploy/setup.sh does)"
}

# Runs a server-side program: as postgres when we are root, from / (root's cwd is closed to postgres).
as_server() {
    if [[ $EUID -eq 0 ]]; then
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

port_in_use() {
    # A successful connect means something listens there.
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

valid_port() {
    [[ $1 =~ ^[0-9]+$ ]] && (($1 >= 1024 && $1 <= 65535))
}

cmd_free_port() {
    local port=${1:-54329}
    valid_port "$port" || die "invalid port: $port"
    local last=$((port + 200))
    while ((port <= last && port <= 65535)); do
        if ! port_in_use "$port"; then
            echo "$port"
            return
        fi
        port=$((port + 1))
    done
    die "no free port in ${1:-54329}..$last"
}

log_tail() {
    local dir=$1
    if [[ -f $dir/server.log ]]; then
        echo "---- last lines of $dir/server.log ----" >&2
        tail -n 30 "$dir/server.log" >&2 || true
        echo "----" >&2
    fi
}

cmd_start() {
    local dir=$1 port=$2 bindir
    valid_port "$port" || die "invalid port: $port (want 1024-65535)"
    dir=$(realpath -m -- "$dir")
    [[ $dir != / ]] || die "refusing to use / as DIR"
    if [[ -e $dir ]]; then
        [[ -d $dir ]] || die "$dir exists and is not a directory"
        [[ -z $(ls -A -- "$dir") ]] || die "$dir is not empty: give a new or empty folder"
    fi
    # Unix socket path limit: sun_path is 108 bytes with the NUL.
    local socket="$dir/.s.PGSQL.$port"
    ((${#socket} <= 107)) || die "socket path $socket is too long (${#socket} bytes, limit 107): use a shorter DIR"
    if port_in_use "$port"; then
        die "something already listens on 127.0.0.1:$port (try: $0 free-port)"
    fi
    bindir=$(find_bindir)

    mkdir -p -- "$dir"
    touch -- "$dir/$MARKER"
    chmod 700 -- "$dir"
    if [[ $EUID -eq 0 ]]; then
        id postgres >/dev/null 2>&1 ||
            die "running as root needs the 'postgres' OS user (PostgreSQL refuses to run as root): install the postgresql package"
        chown -R postgres:postgres -- "$dir"
        runuser -u postgres -- test -w "$dir" -a -x "$dir" ||
            die "the postgres user cannot reach $dir: its parent folders must be traversable (not under /root or a 0700 folder)"
    fi

    say "initdb in $dir/data ($bindir)"
    local locale ok=
    for locale in C.UTF-8 C; do
        if as_server "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale="$locale" \
            --no-sync >"$dir/initdb.log" 2>&1; then
            ok=1
            break
        fi
        grep -qi locale "$dir/initdb.log" || break
        as_server rm -rf -- "$dir/data"
    done
    if [[ -z $ok ]]; then
        tail -n 20 "$dir/initdb.log" >&2 || true
        die "initdb failed (full output: $dir/initdb.log)"
    fi

    local quoted_dir=${dir//\'/\'\'}
    as_server tee -a "$dir/data/postgresql.conf" >/dev/null <<CONF

# --- throwaway-pg.sh: test server, no durability ---
listen_addresses = '127.0.0.1'
password_encryption = 'scram-sha-256'
port = $port
unix_socket_directories = '$quoted_dir'
max_connections = 400
fsync = off
full_page_writes = off
synchronous_commit = off
logging_collector = off
CONF

    # First match wins: passwords for vledger_signin, trust everywhere else (as initdb -A trust wrote).
    as_server sh -c "{ echo 'host vledger_signin all 127.0.0.1/32 scram-sha-256'; cat '$dir/data/pg_hba.conf'; } > '$dir/data/pg_hba.new' && mv '$dir/data/pg_hba.new' '$dir/data/pg_hba.conf'"

    say "starting PostgreSQL on 127.0.0.1:$port"
    if ! as_server "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -s start >&2; then
        log_tail "$dir"
        die "PostgreSQL did not start (data: $dir/data, log: $dir/server.log)"
    fi
    local psql=$bindir/psql
    [[ -x $psql ]] || psql=psql
    if ! "$psql" -X -q -w -At -h 127.0.0.1 -p "$port" -U postgres -d postgres -c 'select 1' \
        </dev/null >/dev/null 2>"$dir/check.log"; then
        cat "$dir/check.log" >&2 || true
        log_tail "$dir"
        die "PostgreSQL started but does not accept connections on 127.0.0.1:$port"
    fi
    "$psql" -X -q -w -h 127.0.0.1 -p "$port" -U postgres -d postgres -c 'CREATE DATABASE vledger_signin' \
        </dev/null >/dev/null 2>>"$dir/check.log" || die "could not create the sign-in database vledger_signin"
    say "ready (stop it with: $0 stop $dir)"
    echo "postgresql://postgres@127.0.0.1:$port/postgres"
}

cmd_stop() {
    local dir bindir
    dir=$(realpath -m -- "$1")
    [[ -e $dir ]] || return 0
    [[ -f $dir/$MARKER ]] || die "$dir was not made by $0 start (no $MARKER): not touching it"
    if [[ -f $dir/data/postmaster.pid ]]; then
        bindir=$(find_bindir)
        if ! as_server "$bindir/pg_ctl" -D "$dir/data" -m fast -w -t 60 -s stop >&2; then
            say "fast shutdown failed; trying immediate"
            as_server "$bindir/pg_ctl" -D "$dir/data" -m immediate -w -t 30 -s stop >&2 || {
                log_tail "$dir"
                die "could not stop the server in $dir/data"
            }
        fi
    fi
    rm -rf -- "$dir"
}

(($# >= 1)) || usage
case $1 in
start)
    (($# == 3)) || usage
    cmd_start "$2" "$3"
    ;;
stop)
    (($# == 2)) || usage
    cmd_stop "$2"
    ;;
free-port)
    (($# <= 2)) || usage
    cmd_free_port "${2:-}"
    ;;
*) usage ;;
esac
