# Sourced by run-pinned.sh and node-cost.sh: move every process of the cluster but the measured node to CPU 1 for the
# length of the run, and give each its own affinity back on exit. Processes forked during the run (PostgreSQL backends
# for new pool connections) inherit CPU 1 and keep it. Needs taskset (util-linux).
#   pin_others NODE_PID   (call once; sets an EXIT trap that also runs the caller's on_exit function, if defined)

declare -A pinned_masks=()

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
