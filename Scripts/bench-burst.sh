#!/usr/bin/env bash
# The screen through a burst, side by side with top and htop, each on its own tmux screen
# refreshing every second: N sleeping processes (default 5000) under one shell; the shell is
# killed (its N children become orphans at once: swtop reports each), then all N are killed at
# once (N exits, each classified). Prints, for each screen, its peak RSS before and after the
# bursts, its RSS at the end, and the CPU seconds each burst cost it (SECS seconds from the kill,
# default 8).
#
#   Scripts/bench-burst.sh [N [SECS]]
#
# Ends exactly the processes it started, by pid.
set -euo pipefail
N=${1:-5000}
SECS=${2:-8}
cd "$(dirname "$0")/.."
command -v tmux >/dev/null || { echo "needs tmux" >&2; exit 1; }
source Scripts/bench-lib.sh
build_swtop
ulimit -u unlimited 2>/dev/null || ulimit -u "$(ulimit -Hu)" 2>/dev/null || true

children=$(mktemp)
# The sleepers' own shell, which the first burst kills; their pids in $children.
bash -c 'for ((i = 0; i < '"$N"'; i++)); do sleep 100000 & echo $!; done; wait' >"$children" &
shell=$!
pids+=("$shell")
until [ "$(wc -l <"$children")" -ge "$N" ]; do sleep 0.2; done
mapfile -t sleepers <"$children"
rm -f "$children"
pids+=("${sleepers[@]}")
echo "started $N sleeping processes under shell $shell; $(ls -d /proc/[0-9]* | wc -l) processes in /proc"

tmux -L "$SOCKET" -f /dev/null new-session -d -s s-swtop -x 160 -y 50 "$SWTOP -d 10"
tmux -L "$SOCKET" new-session -d -s s-top -x 160 -y 50 "top -d 1"
command -v htop >/dev/null && tmux -L "$SOCKET" new-session -d -s s-htop -x 160 -y 50 "htop -d 10"
sleep 5
declare -A pid hwm0 t0 t1 t2 hwm1 hwm2
screens=()
for s in swtop top htop; do
  tmux -L "$SOCKET" has-session -t "s-$s" 2>/dev/null || continue
  screens+=("$s")
  pid[$s]=$(pane_pid "s-$s")
  hwm0[$s]=$(awk '/VmHWM/ {print $2}' "/proc/${pid[$s]}/status")
  t0[$s]=$(ticks "${pid[$s]}")
done

kill "$shell"
sleep "$SECS"
for s in "${screens[@]}"; do t1[$s]=$(ticks "${pid[$s]}"); hwm1[$s]=$(awk '/VmHWM/ {print $2}' "/proc/${pid[$s]}/status"); done
echo "burst 1: the shell killed, its $N children orphaned at once"
kill "${sleepers[@]}" 2>/dev/null || true
sleep "$SECS"
echo "burst 2: the $N killed at once"
for s in "${screens[@]}"; do
  t2[$s]=$(ticks "${pid[$s]}")
  hwm2[$s]=$(awk '/VmHWM/ {print $2}' "/proc/${pid[$s]}/status")
  rss=$(awk '/VmRSS/ {print $2}' "/proc/${pid[$s]}/status")
  printf "%-6s peak RSS %6d kB before, %6d kB after the orphans, %6d kB after the kills; %6d kB at the end; CPU-s: orphans %.2f, kills %.2f\n" \
    "$s" "${hwm0[$s]}" "${hwm1[$s]}" "${hwm2[$s]}" "$rss" \
    "$(awk -v t=$((t1[$s] - t0[$s])) 'BEGIN { print t / 100 }')" "$(awk -v t=$((t2[$s] - t1[$s])) 'BEGIN { print t / 100 }')"
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "n/a" }'; }
[ -n "${pid[htop]:-}" ] && echo "swtop/htop peak RSS through the bursts: $(ratio "${hwm2[swtop]}" "${hwm2[htop]}")"
true
