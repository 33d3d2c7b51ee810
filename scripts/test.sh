#!/usr/bin/env bash
# The test command: installs what the tests need (system packages, the peer/oracle venv), then runs them.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/setup-test-venv.sh
export OPENBLAS_NUM_THREADS=1
# A crashing test prints its backtrace and exits instead of waiting for a debugger.
export SWIFT_BACKTRACE=interactive=no
swift build --build-tests 2>&1 | grep -vE '^\[[0-9]+/[0-9]+\] (Compiling|Write|Emitting|Linking|Applying)' || true
swift test --skip-build
