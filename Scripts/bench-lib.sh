# Shared by the screen benchmarks (sourced, not run): the release build, the processes a run
# starts and ends by pid, its own tmux server, and CPU ticks of a process.

# Builds swtop as released and sets SWTOP to the binary; SWTOP_BIN=path runs that binary instead
# (one built before, or another version to compare).
build_swtop() {
  if [ -n "${SWTOP_BIN:-}" ]; then SWTOP=$SWTOP_BIN; return; fi
  swift build -c release --static-swift-stdlib --product swtop >/dev/null
  SWTOP=$(swift build -c release --static-swift-stdlib --show-bin-path)/swtop
}

# The pids the run started (append with pids+=($!)); they and the tmux server end with the run.
SOCKET=swtop-bench-$$
pids=()
cleanup() {
  tmux -L "$SOCKET" kill-server 2>/dev/null || true
  [ ${#pids[@]} -gt 0 ] && kill "${pids[@]}" 2>/dev/null
  wait 2>/dev/null || true
}
trap cleanup EXIT

# utime + stime of a process, in clock ticks.
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# The process running in the tmux session NAME.
pane_pid() { tmux -L "$SOCKET" display -p -t "$1" '#{pane_pid}'; }
