#!/usr/bin/env bash
# A real single-node SLURM cluster on localhost (Debian's slurmctld, slurmd and munge; no systemd, no cgroups), for
# the cluster tests and for trying the deploy/slurm templates on one machine (docs/cluster.md).
#
#   scripts/slurm-local.sh start STATE_DIR   configure and start munged, slurmctld and slurmd; prints `export
#                                            SLURM_CONF=...`; STATE_DIR/pids lists the daemons' PIDs
#   scripts/slurm-local.sh stop STATE_DIR    stop the daemons started by `start` (by PID, reverse order)
#
# Needs root (munged runs as the munge user, jobs as root) and the packages of scripts/install-deps.sh. The ports are
# free ones picked at start, so several clusters (or a system one) can coexist; all state lives in STATE_DIR.
set -euo pipefail

# The daemons outlive this script, so they must not inherit its descriptors beyond 0-2: a launcher that watches one
# (Swift Foundation's Process hands its child a socket and waits for it to close) would wait for the daemons too.
for fd in /proc/$$/fd/*; do
  fd=${fd##*/}
  case $fd in 0|1|2|255) ;; *) exec {fd}>&- ;; esac
done

usage() { echo "usage: $0 start|stop STATE_DIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
cmd=$1
state=$(mkdir -p "$2" && cd "$2" && pwd)

# A TCP port nobody listens on (the kernel picks it; a tiny race with other processes is acceptable here).
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# Seconds to wait for each daemon to come up or go down.
readonly wait_s=30

stop() {
  [ -f "$state/pids" ] || return 0
  # Jobs still running would leave step daemons behind: give them a moment to finish.
  for _ in $(seq 1 40); do compgen -G "$state/spool/localhost_*" >/dev/null || break; sleep 0.25; done
  local pids; pids=$(tac "$state/pids")
  for pid in $pids; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in $pids; do
    for _ in $(seq 1 $((wait_s * 10))); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  rm -f "$state/pids"
}

start() {
  for b in munged slurmctld slurmd; do
    command -v "$b" >/dev/null || [ -x "/usr/sbin/$b" ] || { echo "error: $b is not installed; run scripts/install-deps.sh" >&2; exit 2; }
  done
  [ "$(id -u)" -eq 0 ] || { echo "error: the local SLURM cluster needs root (munged switches to the munge user)" >&2; exit 2; }
  [ ! -f "$state/pids" ] || { echo "error: $state already runs a cluster; stop it first" >&2; exit 2; }
  chmod 0755 "$state"
  # munged runs as the munge user and must reach its socket under STATE_DIR (mktemp -d parents are 0700).
  setpriv --reuid=munge --regid=munge --init-groups test -x "$state" \
    || { echo "error: the munge user cannot reach $state; make its parent directories world-searchable (chmod o+x)" >&2; exit 2; }
  mkdir -p "$state/ctld" "$state/spool" "$state/munge"
  chown munge:munge "$state/munge"; chmod 0755 "$state/munge"
  if [ -f /etc/munge/munge.key ]; then cp /etc/munge/munge.key "$state/munge/munge.key"
  else head -c 1024 /dev/urandom > "$state/munge/munge.key"; fi
  chown munge:munge "$state/munge/munge.key"; chmod 0400 "$state/munge/munge.key"

  local ctld_port slurmd_port mem
  ctld_port=$(free_port); slurmd_port=$(free_port)
  while [ "$slurmd_port" = "$ctld_port" ]; do slurmd_port=$(free_port); done
  mem=$(free -m | awk '/^Mem:/ {print int($2 * 0.95)}')   # above slurmd's own reading the node would be drained
  cat > "$state/slurm.conf" <<EOF
ClusterName=vlaser
SlurmctldHost=localhost
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
AuthType=auth/munge
AuthInfo=socket=$state/munge/munge.socket.2
CredType=cred/munge
StateSaveLocation=$state/ctld
SlurmdSpoolDir=$state/spool
SlurmctldPidFile=$state/slurmctld.pid
SlurmdPidFile=$state/slurmd.pid
SlurmctldLogFile=$state/slurmctld.log
SlurmdLogFile=$state/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SwitchType=switch/none
MpiDefault=none
SchedulerType=sched/backfill
SchedulerParameters=batch_sched_delay=0
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MinJobAge=3600
DependencyParameters=kill_invalid_depend
MailProg=/bin/true
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$(nproc) RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
EOF
  export SLURM_CONF="$state/slurm.conf"
  : > "$state/pids"
  trap 'echo "error: the local SLURM cluster did not start; logs in $state" >&2; tail -n 20 "$state"/*.log >&2 2>/dev/null; stop' ERR

  setpriv --reuid=munge --regid=munge --init-groups /usr/sbin/munged -F --socket="$state/munge/munge.socket.2" \
    --key-file="$state/munge/munge.key" --pid-file="$state/munge/munged.pid" --seed-file="$state/munge/munged.seed" \
    --log-file="$state/munged.log" >/dev/null 2>&1 &
  echo $! >> "$state/pids"
  wait_for "munged" bash -c "munge -n -S '$state/munge/munge.socket.2' | unmunge -S '$state/munge/munge.socket.2'"

  /usr/sbin/slurmctld -D -i -f "$SLURM_CONF" >/dev/null 2>&1 &
  echo $! >> "$state/pids"
  wait_for "slurmctld" bash -c "scontrol ping | grep -q 'is UP'"

  /usr/sbin/slurmd -D -N localhost -f "$SLURM_CONF" >/dev/null 2>&1 &
  echo $! >> "$state/pids"
  wait_for "slurmd" bash -c "[ \"\$(sinfo -h -n localhost -o %T)\" = idle ]"
  trap - ERR
  echo "export SLURM_CONF=$SLURM_CONF"
}

# wait_for NAME COMMAND...: polls COMMAND until it succeeds, or fails after $wait_s seconds.
wait_for() {
  local name=$1; shift
  for _ in $(seq 1 $((wait_s * 20))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.05; done
  echo "error: $name did not come up within ${wait_s}s" >&2
  return 1
}

case $cmd in
  start) start ;;
  stop) stop ;;
  *) usage ;;
esac
