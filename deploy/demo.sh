#!/usr/bin/env bash
# The main job on a fresh machine: bash deploy/demo.sh
#
# Installs what is missing, builds vledger (release), lets it start its own embedded PostgreSQL
# in $VLEDGER_HOME, loads a generated sample city (once: a second run reuses it) and prints the
# annual report of the last complete year. Extra arguments go to `vledger metrics`
# (e.g. --format json, --scope all, --lang en). The report is in Chinese unless --lang en is given.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

if ! command -v swift >/dev/null 2>&1 && [[ -x /opt/swift/usr/bin/swift ]]; then
    export PATH="$PATH:/opt/swift/usr/bin"
fi

bash deploy/setup.sh

# The demo is about the embedded default: a URL in the environment would point it elsewhere.
unset VLEDGER_DATABASE_URL

echo "正在编译 vledger（release）…" >&2
swift build -c release --product vledger >&2
bin=$(swift build -c release --show-bin-path)/vledger

"$bin" --lang zh db migrate
"$bin" --lang zh db status >&2

districts=$("$bin" district list --format csv | tail -n +2 | wc -l)
if ((districts == 0)); then
    "$bin" --lang zh sample >&2
else
    echo "内置数据库已有 $districts 个区划，直接使用（位置见 vledger db status）" >&2
fi

year=$(($(date +%Y) - 1))
echo >&2
"$bin" --lang zh metrics --year "$year" "$@"
