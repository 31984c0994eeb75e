#!/usr/bin/env bash
# The web pages in a real browser: a live `vledger serve` on loopback over a fresh database of the
# test PostgreSQL server ($VLEDGER_TEST_DATABASE_URL, as deploy/test.sh and .ci/run start it),
# driven by headless Chromium (Debian's chromium + chromium-driver) through Selenium (PyPI).
# Screenshots go to $VLEDGER_WEB_SHOTS (default /tmp/vledger-web-shots). Exit 0 when every check passes.
#
#   VLEDGER_TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:PORT/postgres bash deploy/check-web.sh
set -euo pipefail
cd "$(dirname "$0")/.."

die() { echo "check-web: error: $*" >&2; exit 1; }
[[ -n ${VLEDGER_TEST_DATABASE_URL:-} ]] || die "VLEDGER_TEST_DATABASE_URL is not set (start the test server: deploy/throwaway-pg.sh)"

# What the browser test needs, installed the way deploy/setup.sh installs the rest.
packages=()
command -v chromium >/dev/null 2>&1 || packages+=(chromium)
command -v chromedriver >/dev/null 2>&1 || packages+=(chromium-driver)
command -v zbarimg >/dev/null 2>&1 || packages+=(zbar-tools)
fc-list 2>/dev/null | grep -qi 'noto.*cjk' || packages+=(fonts-noto-cjk)
if ((${#packages[@]} > 0)); then
    sudo=()
    [[ $EUID -ne 0 ]] && sudo=(sudo -n)
    echo "check-web: installing ${packages[*]} with apt-get" >&2
    "${sudo[@]}" apt-get update -q >&2
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${packages[@]}" >&2
fi
if ! python3 -c 'import selenium' >/dev/null 2>&1; then
    python3 -m pip install --quiet selenium >&2 || python3 -m pip install --quiet --break-system-packages selenium >&2 ||
        die "could not install selenium from PyPI"
fi

bin=$(swift build --show-bin-path)/vledger
[[ -x $bin ]] || swift build >&2
server=${VLEDGER_TEST_DATABASE_URL%/*}
web_db="$server/vledger_web_check"
signin_db="$server/vledger_signin"
psql -X -q -w -v ON_ERROR_STOP=1 "$VLEDGER_TEST_DATABASE_URL" -c 'DROP DATABASE IF EXISTS vledger_web_check' \
    -c 'DROP ROLE IF EXISTS web_admin, web_admin2, web_organiser, web_office, web_staff, web_service' -c 'CREATE DATABASE vledger_web_check' >&2
"$bin" db migrate --database-url "$web_db" >&2
year=$(date +%Y)
psql -X -q -w -v ON_ERROR_STOP=1 "$web_db" >&2 <<SQL
INSERT INTO district (code, name, built_up) VALUES ('210682001', '凤凰城街道', true), ('210682002', '草河街道', true) ON CONFLICT DO NOTHING;
CREATE ROLE web_service LOGIN IN ROLE vledger_service;
SQL
password=$(python3 -c 'import secrets; print(secrets.token_urlsafe(18))')
for who in admin admin2 organiser office; do
    VLEDGER_NEW_PASSWORD=$password "$bin" user add "web_$who" --role "${who%2}" --password --database-url "$web_db" >&2
done
VLEDGER_NEW_PASSWORD=$password "$bin" user add web_staff --role staff --district 210682001 --password --database-url "$web_db" >&2
"$bin" population set --district 210682001 --year "$year" --residents 500 --database-url "$web_db" >&2
"$bin" population set --district 210682002 --year "$year" --residents 800 --database-url "$web_db" >&2

port=$(bash deploy/throwaway-pg.sh free-port 18180)
log=$(mktemp /tmp/vledger-serve-web.XXXXXX.log)
"$bin" serve --listen "127.0.0.1:$port" --database-url "${web_db/postgres@/web_service@}" --signin-database-url "$signin_db" 2>"$log" &
serve_pid=$!
trap 'kill -TERM "$serve_pid" 2>/dev/null; wait "$serve_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
    curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
    kill -0 "$serve_pid" 2>/dev/null || { cat "$log" >&2; die "vledger serve stopped"; }
    sleep 0.2
done
curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null || { cat "$log" >&2; die "vledger serve is not healthy"; }

status=0
VLEDGER_WEB_BASE="http://127.0.0.1:$port" VLEDGER_WEB_PASSWORD=$password VLEDGER_WEB_DB=$web_db VLEDGER_BIN=$bin \
    VLEDGER_WEB_SHOTS=${VLEDGER_WEB_SHOTS:-/tmp/vledger-web-shots} python3 Tests/browser/test_pages.py || status=$?
if ((status != 0)); then
    echo "---- vledger serve log ----" >&2
    tail -n 40 "$log" >&2 || true
fi
exit "$status"
