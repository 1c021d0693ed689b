#!/usr/bin/env bash
# CPU seconds per refresh of the thread view: swtop --threads (as H) against htop, which shows
# userland threads by default, with P processes of 1000 idle threads each (default 3), on tmux
# screens refreshing once a second for SECONDS (default 20). Ends exactly what it started.
set -euo pipefail
P=${1:-3}
SECS=${2:-20}
cd "$(dirname "$0")/.."
command -v tmux >/dev/null || { echo "needs tmux" >&2; exit 1; }
command -v python3 >/dev/null || { echo "needs python3" >&2; exit 1; }
source Scripts/bench-lib.sh
build_swtop
for ((i = 0; i < P; i++)); do
  python3 -c 'import threading, time
e = threading.Event()
for _ in range(999): threading.Thread(target=e.wait, daemon=True).start()
time.sleep(1e6)' &
  pids+=($!)
done
sleep 2
echo "started $P processes of 1000 threads; $(ls -d /proc/[0-9]*/task/[0-9]* | wc -l) threads in /proc"

tmux -L "$SOCKET" -f /dev/null new-session -d -s s-swtop -x 160 -y 50 "$SWTOP -d 10 --threads"
command -v htop >/dev/null && tmux -L "$SOCKET" new-session -d -s s-htop -x 160 -y 50 "htop -d 10"
sleep 2
declare -A pid start cpu
for s in swtop htop; do
  tmux -L "$SOCKET" has-session -t "s-$s" 2>/dev/null || continue
  pid[$s]=$(pane_pid "s-$s")
  start[$s]=$(ticks "${pid[$s]}")
done
sleep "$SECS"
for s in swtop htop; do
  [ -n "${pid[$s]:-}" ] || continue
  cpu[$s]=$(awk -v t="$(($(ticks "${pid[$s]}") - ${start[$s]}))" -v secs="$SECS" 'BEGIN { printf "%.4f", t / 100 / secs }')
  echo "$s ${cpu[$s]} CPU-s per refresh"
done
[ -n "${cpu[htop]:-}" ] && awk -v a="${cpu[swtop]}" -v b="${cpu[htop]}" 'BEGIN { if (b > 0) printf "swtop/htop: %.2fx\n", a / b }'
