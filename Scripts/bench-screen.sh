#!/usr/bin/env bash
# CPU seconds per refresh and peak RSS of the screen, side by side with top and htop, each on
# its own tmux screen refreshing once a second, with N sleeping processes (default 2000).
# Issue 3 targets: swtop CPU per refresh <= 0.5x top's; peak RSS <= htop's.
# Ends exactly the processes it started, by pid.
set -euo pipefail
N=${1:-2000}
SECS=${2:-15}
cd "$(dirname "$0")/.."
command -v tmux >/dev/null || { echo "needs tmux" >&2; exit 1; }
swift build -c release --static-swift-stdlib --product swtop >/dev/null
SWTOP=$(swift build -c release --static-swift-stdlib --show-bin-path)/swtop
SOCKET=swtop-bench-$$

pids=()
cleanup() {
  tmux -L "$SOCKET" kill-server 2>/dev/null || true
  [ ${#pids[@]} -gt 0 ] && kill "${pids[@]}" 2>/dev/null
  wait 2>/dev/null || true
}
trap cleanup EXIT
for ((i = 0; i < N; i++)); do sleep 100000 & pids+=($!); done
echo "started $N sleeping processes; $(ls -d /proc/[0-9]* | wc -l) processes in /proc"

tmux -L "$SOCKET" -f /dev/null new-session -d -s s-swtop -x 160 -y 50 "$SWTOP -d 10"
tmux -L "$SOCKET" new-session -d -s s-top -x 160 -y 50 "top -d 1"
command -v htop >/dev/null && tmux -L "$SOCKET" new-session -d -s s-htop -x 160 -y 50 "htop -d 10"
sleep 2
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
declare -A pid start
for s in swtop top htop; do
  tmux -L "$SOCKET" has-session -t "s-$s" 2>/dev/null || continue
  pid[$s]=$(tmux -L "$SOCKET" display -p -t "s-$s" '#{pane_pid}')
  start[$s]=$(ticks "${pid[$s]}")
done
sleep "$SECS"
for s in "${!pid[@]}"; do
  used=$(($(ticks "${pid[$s]}") - ${start[$s]}))
  hwm=$(awk '/VmHWM/ {print $2}' "/proc/${pid[$s]}/status")
  awk -v s="$s" -v t="$used" -v secs="$SECS" -v hwm="$hwm" \
    'BEGIN { printf "%-6s %.4f CPU-s per refresh, peak RSS %d kB\n", s, t / 100 / secs, hwm }'
done
