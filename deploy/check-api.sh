#!/usr/bin/env bash
# The HTTP contract from outside, against a live `vledger serve` on loopback over a fresh database of
# the test PostgreSQL server ($VLEDGER_TEST_DATABASE_URL, as deploy/test.sh starts it): the OpenAPI
# document validated, schemathesis over every operation (no 5xx, every answer inside the schema),
# then the shipped nginx config in front of the same server (deploy/check-nginx.sh).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[[ -n ${VLEDGER_TEST_DATABASE_URL:-} ]] || { echo "check-api: VLEDGER_TEST_DATABASE_URL is not set" >&2; exit 1; }
command -v nginx >/dev/null 2>&1 || {
    sudo=(); [[ $EUID -ne 0 ]] && sudo=(sudo -n)
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx-light >&2 ||
        { "${sudo[@]}" apt-get update -q >&2 && "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx-light >&2; }
}
api_tools=1
if ! python3 -c 'import schemathesis, openapi_spec_validator' >/dev/null 2>&1; then
    python3 -m pip install --quiet schemathesis openapi-spec-validator >&2 ||
        python3 -m pip install --quiet --user schemathesis openapi-spec-validator >&2 ||
        { echo "check-api: could not install schemathesis/openapi-spec-validator from PyPI" >&2; exit 1; }
fi
if [[ -n $api_tools ]]; then
    bin=$(swift build --show-bin-path)/vledger
    serve_db="${VLEDGER_TEST_DATABASE_URL%/*}/vledger_serve_ci"
    signin_db="${VLEDGER_TEST_DATABASE_URL%/*}/vledger_signin"
    psql -X -q -w -v ON_ERROR_STOP=1 "$VLEDGER_TEST_DATABASE_URL" -c 'DROP DATABASE IF EXISTS vledger_serve_ci' -c 'DROP ROLE IF EXISTS ci_admin' -c 'CREATE DATABASE vledger_serve_ci' >&2
    "$bin" db migrate --database-url "$serve_db" >&2
    api_password=$(python3 -c 'import secrets; print(secrets.token_urlsafe(18))')
    psql -X -q -w -v ON_ERROR_STOP=1 "$serve_db" >&2 <<'SQL'
INSERT INTO district (code, name, built_up) VALUES ('210682001', '凤凰城街道', true) ON CONFLICT DO NOTHING;
DROP ROLE IF EXISTS ci_web;
CREATE ROLE ci_web LOGIN IN ROLE vledger_service;
SQL
    VLEDGER_NEW_PASSWORD=$api_password "$bin" user add ci_admin --role admin --password --database-url "$serve_db" >&2 ||
        { echo "check-api: could not create the API test login" >&2; exit 1; }
    serve_port=$(bash deploy/throwaway-pg.sh free-port 18080)
    service_db=${serve_db/postgres@/ci_web@}
    serve_log=$(mktemp /tmp/vledger-serve-ci.XXXXXX.log)
    "$bin" serve --listen "127.0.0.1:$serve_port" --database-url "$service_db" --signin-database-url "$signin_db" 2>"$serve_log" &
    serve_pid=$!
    stop_serve() { kill -TERM "$serve_pid" 2>/dev/null && wait "$serve_pid" 2>/dev/null || true; }
    trap stop_serve EXIT
    for _ in $(seq 1 100); do
        curl -fsS "http://127.0.0.1:$serve_port/healthz" >/dev/null 2>&1 && break
        kill -0 "$serve_pid" 2>/dev/null || break
        sleep 0.2
    done
    api_status=0
    curl -fsS "http://127.0.0.1:$serve_port/healthz" >&2 || { echo "check-api: vledger serve is not healthy" >&2; cat "$serve_log" >&2; api_status=1; }
    if ((api_status == 0)); then
        curl -fsS "http://127.0.0.1:$serve_port/api/v1/openapi.json" -o /tmp/vledger-openapi.json &&
            python3 -m openapi_spec_validator /tmp/vledger-openapi.json >&2 || api_status=1
    fi
    if ((api_status == 0)); then
        token=$(curl -fsS -H 'Content-Type: application/json' \
            -d "{\"login\":\"ci_admin\",\"password\":\"$api_password\"}" "http://127.0.0.1:$serve_port/api/v1/sessions" |
            python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])') || api_status=1
    fi
    if ((api_status == 0)); then
        # Signing out would end the token the run uses: that operation is left out.
        timeout 600 schemathesis run "http://127.0.0.1:$serve_port/api/v1/openapi.json" \
            --url "http://127.0.0.1:$serve_port" -H "Authorization: Bearer $token" \
            --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
            --exclude-operation-id signOut --max-examples 20 --workers 1 >&2 || api_status=1
    fi
    if ((api_status == 0)); then
        bash deploy/check-nginx.sh "$serve_port" || api_status=1
    fi
    stop_serve
    if ((api_status != 0)); then
        echo "---- vledger serve log ----" >&2
        tail -n 50 "$serve_log" >&2 || true
        exit 1
    fi
fi

