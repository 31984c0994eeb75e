#!/usr/bin/env bash
# The test command: bash deploy/test.sh [extra `swift test` arguments]
# With no arguments: every Swift test, then the HTTP contract and the web pages from outside
# (deploy/check-api.sh, deploy/check-web.sh). With arguments (e.g. --filter X): those tests only.
#
# Installs what is missing (deploy/setup.sh). Unless VLEDGER_TEST_DATABASE_URL is already set,
# starts a throwaway PostgreSQL server on a free loopback port, exports its URL as
# VLEDGER_TEST_DATABASE_URL, and stops and removes it on exit. Then builds and runs the tests;
# the exit status is the first failure's.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

if ! command -v swift >/dev/null 2>&1 && [[ -x /opt/swift/usr/bin/swift ]]; then
    export PATH="$PATH:/opt/swift/usr/bin"
fi

bash deploy/setup.sh

pg_dir=
stop_server() {
    local status=$?
    if [[ -n $pg_dir ]]; then
        if ! bash deploy/throwaway-pg.sh stop "$pg_dir"; then
            echo "test.sh: could not stop the test server in $pg_dir" >&2
            ((status != 0)) || status=1
        fi
    fi
    exit "$status"
}

if [[ -z ${VLEDGER_TEST_DATABASE_URL:-} ]]; then
    trap stop_server EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    # /tmp rather than $TMPDIR: short (Unix socket path limit) and reachable by the postgres user.
    pg_dir=$(mktemp -d /tmp/vledger-test-pg.XXXXXX)
    port=$(bash deploy/throwaway-pg.sh free-port 54329)
    VLEDGER_TEST_DATABASE_URL=$(bash deploy/throwaway-pg.sh start "$pg_dir" "$port")
    export VLEDGER_TEST_DATABASE_URL
fi

swift build --build-tests
swift test "$@"

# The whole suite (no arguments) also checks the service from outside, as its clients see it:
# the HTTP contract (OpenAPI, schemathesis, the nginx proxy) and the web pages in a real browser.
if (($# == 0)); then
    echo "test.sh: the HTTP contract from outside (deploy/check-api.sh)" >&2
    bash deploy/check-api.sh
    echo "test.sh: the web pages in a real browser (deploy/check-web.sh)" >&2
    VLEDGER_WEB_SHOTS=${VLEDGER_WEB_SHOTS:-/tmp/vledger-web-shots} bash deploy/check-web.sh
fi
