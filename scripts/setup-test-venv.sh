#!/usr/bin/env bash
# Creates .venv-test with the real peer libraries and oracles the tests use (Tests/requirements.txt) and installs
# the Python client package (clients/python, with its RoboTwin extra) the way a user does: `pip install`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv="$root/.venv-test"
stamp="$venv/.requirements.sha"
# Reinstall when the requirements or any file of the client package change.
want=$(cd "$root" && { sha1sum Tests/requirements.txt; find clients/python -type f -not -path '*/build/*' -not -path '*.egg-info*' \
    -not -name '*.pyc' | LC_ALL=C sort | xargs sha1sum; } | sha1sum | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then exit 0; fi
python3 -m venv "$venv"
"$venv/bin/pip" install -q --disable-pip-version-check -r "$root/Tests/requirements.txt"
"$venv/bin/pip" install -q --disable-pip-version-check "$root/clients/python[robotwin]"
# the same version number with changed files: replace the installed copy
"$venv/bin/pip" install -q --disable-pip-version-check --force-reinstall --no-deps "$root/clients/python[robotwin]"
echo "$want" > "$stamp"
