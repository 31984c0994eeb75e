#!/usr/bin/env bash
# Installs what vledger needs to build and test on Debian, if missing: the PostgreSQL server,
# libpq's headers (libpq-dev, which also brings pg_config) and pkg-config. Checks that `swift` is
# on PATH. Idempotent, and silent when everything is there.
set -euo pipefail

die() { echo "setup: error: $*" >&2; exit 1; }

have_server() {
    local dir
    if [[ -n ${VLEDGER_PG_BINDIR:-} ]]; then
        [[ -x $VLEDGER_PG_BINDIR/pg_ctl ]] && return 0
    fi
    if command -v pg_config >/dev/null 2>&1; then
        dir=$(pg_config --bindir 2>/dev/null || true)
        [[ -n $dir && -x $dir/pg_ctl ]] && return 0
    fi
    for dir in /usr/lib/postgresql/*/bin; do
        [[ -x $dir/pg_ctl ]] && return 0
    done
    command -v pg_ctl >/dev/null 2>&1
}

packages=()
if ! command -v pg_config >/dev/null 2>&1 || [[ ! -f /usr/include/postgresql/libpq-fe.h ]]; then
    packages+=(libpq-dev)
fi
if ! have_server; then
    packages+=(postgresql)
fi
if ! command -v pkg-config >/dev/null 2>&1; then
    packages+=(pkg-config)
fi

if ((${#packages[@]} > 0)); then
    command -v apt-get >/dev/null 2>&1 ||
        die "missing: ${packages[*]}, and this is not a Debian/Ubuntu system: install PostgreSQL (server and libpq headers) yourself"
    sudo=()
    if [[ $EUID -ne 0 ]]; then
        command -v sudo >/dev/null 2>&1 ||
            die "missing: ${packages[*]}; run as root, or: apt-get install -y ${packages[*]}"
        sudo=(sudo)
    fi
    echo "setup: installing ${packages[*]} with apt-get" >&2
    export DEBIAN_FRONTEND=noninteractive
    "${sudo[@]}" apt-get update -q >&2
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${packages[@]}" >&2
    # Debian names the package postgresql; check it gave what we looked for.
    have_server || die "the postgresql package is installed but pg_ctl is still not found"
    [[ -f /usr/include/postgresql/libpq-fe.h ]] || die "libpq-dev is installed but libpq-fe.h is still missing"
fi

if ! command -v swift >/dev/null 2>&1; then
    if [[ -x /opt/swift/usr/bin/swift ]]; then
        die "swift is not on PATH; it is installed in /opt/swift/usr/bin: export PATH=\"/opt/swift/usr/bin:\$PATH\""
    fi
    die "swift is not on PATH: install a Swift 6 toolchain (https://www.swift.org/install/linux/) and add its usr/bin to PATH"
fi
