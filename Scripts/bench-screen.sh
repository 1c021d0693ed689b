#!/usr/bin/env bash
# CPU seconds per refresh and peak RSS of the screen, side by side with top and htop, each on
# its own tmux screen refreshing once a second, with N sleeping processes (default 2000).
# Issue 3 targets: swtop CPU per refresh <= 0.5x top's and <= 0.15x htop's; peak RSS <= htop's.
# Ends exactly the processes it started, by pid.
set -euo pipefail
N=${1:-2000}
SECS=${2:-15}
cd "$(dirname "$0")/.."
command -v tmux >/dev/null || { echo "needs tmux" >&2; exit 1; }
source Scripts/bench-lib.sh
build_swtop
for ((i = 0; i < N; i++)); do sleep 100000 & pids+=($!); done
echo "started $N sleeping processes; $(ls -d /proc/[0-9]* | wc -l) processes in /proc"

tmux -L "$SOCKET" -f /dev/null new-session -d -s s-swtop -x 160 -y 50 "$SWTOP -d 10"
tmux -L "$SOCKET" new-session -d -s s-top -x 160 -y 50 "top -d 1"
command -v htop >/dev/null && tmux -L "$SOCKET" new-session -d -s s-htop -x 160 -y 50 "htop -d 10"
sleep 2
declare -A pid start
for s in swtop top htop; do
  tmux -L "$SOCKET" has-session -t "s-$s" 2>/dev/null || continue
  pid[$s]=$(pane_pid "s-$s")
  start[$s]=$(ticks "${pid[$s]}")
done
sleep "$SECS"
declare -A cpu hwm
for s in swtop top htop; do
  [ -n "${pid[$s]:-}" ] || continue
  used=$(($(ticks "${pid[$s]}") - ${start[$s]}))
  cpu[$s]=$(awk -v t="$used" -v secs="$SECS" 'BEGIN { printf "%.4f", t / 100 / secs }')
  hwm[$s]=$(awk '/VmHWM/ {print $2}' "/proc/${pid[$s]}/status")
  anon=$(awk '/RssAnon/ {print $2}' "/proc/${pid[$s]}/status")
  file=$(awk '/RssFile/ {print $2}' "/proc/${pid[$s]}/status")
  printf "%-6s %s CPU-s per refresh, peak RSS %d kB (now: %d kB private, %d kB mapped files)\n" \
    "$s" "${cpu[$s]}" "${hwm[$s]}" "$anon" "$file"
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "n/a" }'; }
echo "swtop/top  CPU per refresh: $(ratio "${cpu[swtop]}" "${cpu[top]}") (target <= 0.5x)"
if [ -n "${cpu[htop]:-}" ]; then
  echo "swtop/htop CPU per refresh: $(ratio "${cpu[swtop]}" "${cpu[htop]}") (target <= 0.15x)"
  echo "swtop/htop peak RSS:        $(ratio "${hwm[swtop]}" "${hwm[htop]}") (target <= 1x)"
fi
