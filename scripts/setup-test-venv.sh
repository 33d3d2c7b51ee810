#!/usr/bin/env bash
# Creates .venv-test with the real peer libraries and oracles the tests use (Tests/requirements.txt).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv="$root/.venv-test"
stamp="$venv/.requirements.sha"
want=$(sha1sum "$root/Tests/requirements.txt" | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then exit 0; fi
python3 -m venv "$venv"
"$venv/bin/pip" install -q --disable-pip-version-check -r "$root/Tests/requirements.txt"
echo "$want" > "$stamp"
