#!/usr/bin/env bash
# CPU seconds per refresh and peak RSS of the screen, side by side with top and htop, each on
# its own tmux screen refreshing every INTERVAL seconds (default 1; 3 for the two cases of issue
# 8), with N sleeping processes. CPU per refresh is CPU seconds used over SECS, divided by the
# refreshes due in that time: a peer whose refresh takes longer than the interval (htop at 15,000
# processes on a busy 2-core machine) refreshes less often, and a 1 s interval would understate
# its cost per refresh.
#
#   Scripts/bench-screen.sh [N [SECS]]   N processes (default 2000), SECS seconds (default 15).
#     Issue 3 targets: swtop CPU per refresh <= 0.5x top's and <= 0.15x htop's; peak RSS <= htop's.
#   Scripts/bench-screen.sh scale [SECS]       15,000 processes.
#     Issue 8 targets: CPU per refresh <= 0.25x top's and <= 0.1x htop's; peak RSS <= htop's.
#   Scripts/bench-screen.sh low-nofile [SECS]  8,000 processes, all three under `ulimit -n 4096`
#     (fewer kept fds than processes). Issue 8 target: CPU per refresh <= 0.25x top's.
#
# Ends exactly the processes it started, by pid.
set -euo pipefail
TOP_TARGET=0.5 HTOP_TARGET=0.15
case "${1:-}" in
  scale) N=15000; SECS=${2:-30}; TOP_TARGET=0.25 HTOP_TARGET=0.1; INTERVAL=${INTERVAL:-3} ;;
  low-nofile) N=8000; SECS=${2:-30}; NOFILE=4096; TOP_TARGET=0.25 HTOP_TARGET=; INTERVAL=${INTERVAL:-3} ;;
  *) N=${1:-2000}; SECS=${2:-15} ;;
esac
INTERVAL=${INTERVAL:-1}
cd "$(dirname "$0")/.."
command -v tmux >/dev/null || { echo "needs tmux" >&2; exit 1; }
source Scripts/bench-lib.sh
build_swtop
# 15,000 sleeps need room under the process limit; pid_max must exceed what runs.
ulimit -u unlimited 2>/dev/null || ulimit -u "$(ulimit -Hu)" 2>/dev/null || true
if [ $((N + 1000)) -gt "$(cat /proc/sys/kernel/pid_max)" ]; then
  echo "pid_max ($(cat /proc/sys/kernel/pid_max)) is too small for $N processes" >&2
  exit 1
fi
# The tmux server, and so the three screens, inherit this shell's limit.
[ -n "${NOFILE:-}" ] && ulimit -n "$NOFILE"
for ((i = 0; i < N; i++)); do sleep 100000 & pids+=($!); done
echo "started $N sleeping processes; $(ls -d /proc/[0-9]* | wc -l) processes in /proc; open-file limit $(ulimit -n); refresh every ${INTERVAL}s for ${SECS}s"

TENTHS=$((INTERVAL * 10))
tmux -L "$SOCKET" -f /dev/null new-session -d -s s-swtop -x 160 -y 50 "$SWTOP -d $TENTHS"
tmux -L "$SOCKET" new-session -d -s s-top -x 160 -y 50 "top -d $INTERVAL"
command -v htop >/dev/null && tmux -L "$SOCKET" new-session -d -s s-htop -x 160 -y 50 "htop -d $TENTHS"
# Past the first refreshes, which read every process in full (htop's first at 15,000 processes
# takes seconds).
sleep $((N > 5000 ? 6 + INTERVAL : 2))
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
  cpu[$s]=$(awk -v t="$used" -v secs="$SECS" -v i="$INTERVAL" 'BEGIN { printf "%.4f", t / 100 / secs * i }')
  hwm[$s]=$(awk '/VmHWM/ {print $2}' "/proc/${pid[$s]}/status")
  anon=$(awk '/RssAnon/ {print $2}' "/proc/${pid[$s]}/status")
  file=$(awk '/RssFile/ {print $2}' "/proc/${pid[$s]}/status")
  fds=$(ls "/proc/${pid[$s]}/fd" | wc -l)
  printf "%-6s %s CPU-s per refresh, peak RSS %d kB (now: %d kB private, %d kB mapped files), %d fds\n" \
    "$s" "${cpu[$s]}" "${hwm[$s]}" "$anon" "$file" "$fds"
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "n/a" }'; }
echo "swtop/top  CPU per refresh: $(ratio "${cpu[swtop]}" "${cpu[top]}") (target <= ${TOP_TARGET}x)"
if [ -n "${cpu[htop]:-}" ]; then
  echo "swtop/htop CPU per refresh: $(ratio "${cpu[swtop]}" "${cpu[htop]}")${HTOP_TARGET:+ (target <= ${HTOP_TARGET}x)}"
  echo "swtop/htop peak RSS:        $(ratio "${hwm[swtop]}" "${hwm[htop]}")${HTOP_TARGET:+ (target <= 1x)}"
fi
