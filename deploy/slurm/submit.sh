#!/usr/bin/env bash
# Submits a vlaser-eval run to SLURM as a job array of N shards plus a merge job that runs when all succeeded
# (afterok), and optionally a GPU policy server job the shards use (docs/cluster.md):
#
#   deploy/slurm/submit.sh [--shards N] [--server 'COMMAND'] [--sbatch-args 'ARGS'] RUN_DIR sim|reason ARGS...
#
#   deploy/slurm/submit.sh --shards 8 runs/widowx_scripted sim --suite widowx --policy scripted --record
#   deploy/slurm/submit.sh --shards 16 --server 'python clients/python/vlaser_policy_server.py --port $PORT --protocol openpi' \
#       runs/google_va sim --suite google-robot --protocol variant-aggregation
#   deploy/slurm/submit.sh --shards 4 runs/reason_2b reason --all --data /data/reason --endpoint http://vllm:8000/v1 --model vlaser-2b
#
# The shards write RUN_DIR/shards/shard-i, the merge writes the whole run into RUN_DIR, SLURM's logs go to
# RUN_DIR/slurm/. $VLASER_EVAL names the binary (default: vlaser-eval on PATH); every job inherits this shell's
# environment. --sbatch-args adds options to every sbatch call (partition, account, time limit); the server job
# takes --server-sbatch-args too (GPU type). Prints the job ids, one per line: ARRAY MERGE [SERVER CLEANUP].
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
shards=4 server="" sbatch_args="" server_args=""
while [ $# -gt 0 ]; do
  case $1 in
    --shards) shards=$2; shift 2 ;;
    --server) server=$2; shift 2 ;;
    --sbatch-args) sbatch_args=$2; shift 2 ;;
    --server-sbatch-args) server_args=$2; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) break ;;
  esac
done
[ $# -ge 2 ] || { echo "usage: $0 [--shards N] [--server 'COMMAND'] [--sbatch-args 'ARGS'] RUN_DIR sim|reason ARGS..." >&2; exit 2; }
run=$1; shift
case $1 in sim|reason) ;; *) echo "error: expected sim or reason after RUN_DIR, got '$1'" >&2; exit 2 ;; esac
[[ $shards =~ ^[1-9][0-9]*$ ]] || { echo "error: --shards '$shards': expected a positive integer" >&2; exit 2; }
mkdir -p "$run/slurm"
run=$(cd "$run" && pwd)
# shellcheck disable=SC2086  # the *_args strings are lists of sbatch options
submit() { sbatch --parsable $sbatch_args "$@" | cut -d';' -f1; }

array_deps=() server_job=""
export VLASER_SHARDS=$shards
if [ -n "$server" ]; then
  # shellcheck disable=SC2086
  server_job=$(submit $server_args --output="$run/slurm/server.log" "$here/policy-server.sbatch" "$run" "$server")
  array_deps=(--dependency="after:$server_job")
  export VLASER_SERVER_FILE=$run/server.url
fi
array_job=$(submit --array="0-$((shards - 1))" "${array_deps[@]}" --output="$run/slurm/shard-%a.log" \
  "$here/shard.sbatch" "$run" "$@")
merge_job=$(submit --dependency="afterok:$array_job" --kill-on-invalid-dep=yes --output="$run/slurm/merge.log" \
  "$here/merge.sbatch" "$run")
echo "$array_job"
echo "$merge_job"
if [ -n "$server_job" ]; then
  # The server holds a GPU until cancelled: stop it when the array has ended, whatever its outcome.
  cleanup_job=$(submit --dependency="afterany:$array_job" --output="$run/slurm/server-stop.log" --wrap "scancel $server_job")
  echo "$server_job"
  echo "$cleanup_job"
fi
