# Sourced by run-pinned.sh, node-cost.sh and wrk-half.sh: move every process of the cluster but the measured node to
# CPU 1 for the length of the run, and give each its own affinity back on exit. Processes forked during the run
# (PostgreSQL backends for new pool connections) inherit CPU 1 and keep it. Needs taskset (util-linux).
#   bench_start SCRIPT "ARGS" "${1:-}" TOOL...   (checks and reads the credentials file, checks the tools are installed)
#   pin_others NODE_PID   (call once; sets an EXIT trap that also runs the caller's on_exit function, if defined)
#   node_pid=$(pinned_node_pid PORT)   (the node on PORT, which must run alone on CPU 0; exits with the reason if not)
#   before=$(cpu_ticks); …; steal_pct "$before" "$(cpu_ticks)"   (prints "S0/S1", the steal % of CPU 0 and CPU 1)

declare -A pinned_masks=()

# The scripts' common start: $3 must be the credentials file scripts/cluster wrote (STOA_CLUSTER_CREDENTIALS); it is
# read here, and STOA_API_KEY exported for the load generators. Then each TOOL must be on the PATH.
bench_start() {
  local script=$1 usage=$2 credentials=$3 tool
  shift 3
  [ -f "$credentials" ] || { echo "usage: bench/quotes/$script CREDENTIALS_FILE $usage" >&2; exit 2; }
  # shellcheck disable=SC1090
  source "$credentials"
  export STOA_API_KEY
  for tool in "$@"; do
    command -v "$tool" >/dev/null ||
      { echo "$script needs $tool (apt-get install -y ${tool/taskset/util-linux})" >&2; exit 1; }
  done
}

restore_pins() {
  if declare -F on_exit >/dev/null; then on_exit || true; fi
  for p in "${!pinned_masks[@]}"; do taskset -a -p "${pinned_masks[$p]}" "$p" >/dev/null 2>&1 || true; done
}

pin_others() {
  trap restore_pins EXIT
  for p in $(pgrep -f 'redis-server|postgres|haproxy|stoa.dll'); do
    [ "$p" = "$1" ] && continue
    pinned_masks[$p]=$(taskset -p "$p" 2>/dev/null | sed 's/.*: //') || continue
    taskset -a -p 0x2 "$p" >/dev/null 2>&1 || true
  done
}

# The pid of the stoa node listening on 127.0.0.1:PORT.
node_pid_of() {
  for p in $(pgrep -f stoa.dll); do
    if grep -qz "Stoa__Urls=http://127.0.0.1:$1" "/proc/$p/environ" 2>/dev/null; then echo "$p"; fi
  done | head -1
}

# The pid of the node listening on 127.0.0.1:PORT, checked to run alone on CPU 0 as scripts/cluster starts it with
# STOA_CLUSTER_NODE_CPUS=0. Meant for $(...) under set -e: prints the reason and fails otherwise.
pinned_node_pid() {
  local pid
  pid=$(node_pid_of "$1")
  [ -n "$pid" ] || { echo "no node is running on port $1" >&2; return 1; }
  taskset -p "$pid" | grep -q 'mask: 1$' ||
    { echo "the node on port $1 is not on CPU 0 alone: start the cluster with STOA_CLUSTER_NODE_CPUS=0 (see the header)" >&2; return 1; }
  echo "$pid"
}

# Steal is time the host gave this VM's vCPU to something else while it had work to run: the eighth number of a cpuN
# line in /proc/stat. Printed next to a measurement, it says whether a bad tail was the host's doing.
cpu_ticks() { awk '/^cpu[01] / { print $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat; }
steal_pct() {
  paste -d' ' <(echo "$1") <(echo "$2") |
    awk '{ printf "%s%.1f", (NR > 1 ? "/" : ""), ($4 > $2 ? 100 * ($3 - $1) / ($4 - $2) : 0) }'
}
