# Sourced by what starts scripts/cluster in the background and then drives it (scripts/chaos, bench/docs/run.sh,
# bench/redis-cluster/run.sh).
#
# wait_for_cluster LOG PID: returns once scripts/cluster's LOG says the cluster is up; fails with the log's last lines
# when PID (scripts/cluster) exits first, or after 300 s (a cold build on a loaded machine takes minutes).
wait_for_cluster() {
  local log=$1 pid=$2
  for _ in $(seq 1 600); do
    grep -q 'Stoa cluster is up' "$log" 2>/dev/null && return 0
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -20 "$log" >&2
      echo "scripts/cluster stopped before the cluster was up" >&2
      return 1
    fi
    sleep 0.5
  done
  echo "the cluster was not up after 300 s (log: $log)" >&2
  return 1
}
