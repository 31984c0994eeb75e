#!/usr/bin/env bash
# Installs what vledger needs to build and test on Debian, if missing: the PostgreSQL server,
# libpq's headers (libpq-dev, which also brings pg_config), pkg-config, zbar-tools (the QR tests
# decode with zbarimg), and for the browser tests chromium, chromium-driver, fonts-noto-cjk and selenium. Checks that `swift` is
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
# The QR tests decode what vledger renders with a real reader, zbarimg.
if ! command -v zbarimg >/dev/null 2>&1; then
    packages+=(zbar-tools)
fi

# The proxy test (deploy/check-nginx.sh) runs Debian's nginx in front of vledger serve.
if ! command -v nginx >/dev/null 2>&1 && ! [[ -x /usr/sbin/nginx ]]; then
    packages+=(nginx-light)
fi
command -v curl >/dev/null 2>&1 || packages+=(curl)

# The browser tests of the web pages (deploy/check-web.sh): Debian's Chromium and its driver,
# and fonts that have the Chinese characters the pages are written in.
if ! command -v chromium >/dev/null 2>&1; then
    packages+=(chromium)
fi
if ! command -v chromedriver >/dev/null 2>&1; then
    packages+=(chromium-driver)
fi
if ! { command -v fc-list >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi 'noto.*cjk'; }; then
    packages+=(fonts-noto-cjk)
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
    command -v zbarimg >/dev/null 2>&1 || die "zbar-tools is installed but zbarimg is still not found"
fi

# The tests read the xlsx workbooks vledger writes back with a real reader, openpyxl (PyPI).
have_openpyxl() { command -v python3 >/dev/null 2>&1 && python3 -c 'import openpyxl' >/dev/null 2>&1; }
if ! have_openpyxl; then
    if command -v python3 >/dev/null 2>&1 && python3 -m pip --version >/dev/null 2>&1; then
        echo "setup: installing openpyxl with pip (the tests read workbooks back with it)" >&2
        python3 -m pip install --quiet openpyxl >&2 || true
    fi
    if ! have_openpyxl && command -v apt-get >/dev/null 2>&1; then
        sudo=()
        if [[ $EUID -ne 0 ]] && command -v sudo >/dev/null 2>&1; then sudo=(sudo); fi
        if [[ $EUID -eq 0 || ${#sudo[@]} -gt 0 ]]; then
            echo "setup: installing python3-openpyxl with apt-get" >&2
            "${sudo[@]}" apt-get update -q >&2 || true
            "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3 python3-openpyxl >&2 || true
        fi
    fi
    have_openpyxl || echo "setup: warning: openpyxl is missing (pip install openpyxl); the workbook tests will try to install it" >&2
fi

# Selenium (PyPI) drives that Chromium in the browser tests.
if command -v python3 >/dev/null 2>&1 && ! python3 -c 'import selenium' >/dev/null 2>&1; then
    echo "setup: installing selenium with pip (the browser tests drive Chromium with it)" >&2
    python3 -m pip install --quiet selenium >&2 || python3 -m pip install --quiet --break-system-packages selenium >&2 ||
        echo "setup: warning: selenium is missing (pip install selenium); deploy/check-web.sh will try again" >&2
fi

if ! command -v swift >/dev/null 2>&1; then
    if [[ -x /opt/swift/usr/bin/swift ]]; then
        die "swift is not on PATH; it is installed in /opt/swift/usr/bin: export PATH=\"/opt/swift/usr/bin:\$PATH\""
    fi
    die "swift is not on PATH: install a Swift 6 toolchain (https://www.swift.org/install/linux/) and add its usr/bin to PATH"
fi
