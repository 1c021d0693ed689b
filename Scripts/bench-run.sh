#!/usr/bin/env bash
# `swtop run` (swtop-run) against tini, dumb-init and supervisord, side by side in one run.
#
#   Scripts/bench-run.sh [N]   N repetitions of each measure (default 10)
#
# Measures, for each init with the same child (tini with -s: a subreaper, as swtop-run is when
# not PID 1):
#   - peak RSS (VmHWM, read by the child from its parent's /proc status, so at the moment the
#     child runs), and swtop-run's again after 20 restarts;
#   - start-up: from launching the init to its child running (the child prints the time);
#   - restart latency: with --backoff-min 0 (supervisord: autorestart, startsecs=0), the gap
#     between two runs of a child that exits 1 at once, median of 20 restarts (tini and
#     dumb-init do not restart);
#   - CPU while idle: ticks the init used over 5 s while its child sleeps.
# Prints the medians and swtop-run's ratios to each peer. Issue 21 target: peak RSS <= 5 MB.
#
# SWTOP_RUN_BIN=path runs that binary instead of building the release one. Needs tini, dumb-init
# and supervisor (apt-get install -y tini dumb-init supervisor). Ends what it started.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-10}
command -v tini >/dev/null && command -v dumb-init >/dev/null && command -v supervisord >/dev/null \
  || { echo "needs tini, dumb-init and supervisord: apt-get install -y tini dumb-init supervisor" >&2; exit 2; }
if [ -n "${SWTOP_RUN_BIN:-}" ]; then
  RUN=$SWTOP_RUN_BIN
else
  swift build -c release --static-swift-stdlib --product swtop-run >/dev/null
  RUN=$(swift build -c release --static-swift-stdlib --show-bin-path)/swtop-run
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/swtop-bench-run.XXXXXX")
supervisor_pid=
finish() {
  [ -n "$supervisor_pid" ] && kill "$supervisor_pid" 2>/dev/null && wait "$supervisor_pid" 2>/dev/null
  rm -rf "$work"
}
trap finish EXIT

median() { python3 -c 'import sys, statistics; v=[float(x) for x in sys.stdin.read().split()]; print(f"{statistics.median(v):.3f}" if v else "nan")'; }
ratio() { python3 -c "import sys; a, b = float('$1'), float('$2'); print((f'{a / b:.2f}x' if a / b >= 0.1 else f'1/{b / a:.0f}') if a > 0 and b > 0 else 'n/a')"; }
now_ns() { date +%s%N; }

# supervisord with one program running COMMAND (its % doubled for the config's syntax); waits
# until FILE exists, then stops supervisord.
supervise_until() {
  local command=$1 file=$2 extra=${3:-}
  cat > "$work/supervisord.conf" <<CONF
[supervisord]
nodaemon=true
logfile=/dev/null
pidfile=$work/supervisord.pid
[program:child]
command=${command//%/%%}
autorestart=true
startsecs=0
startretries=1000
stdout_logfile=NONE
stderr_logfile=NONE
$extra
CONF
  supervisord -c "$work/supervisord.conf" >/dev/null 2>&1 &
  supervisor_pid=$!
  while [ ! -s "$file" ]; do sleep 0.01; done
}
stop_supervisord() {
  kill "$supervisor_pid" 2>/dev/null || true
  wait "$supervisor_pid" 2>/dev/null || true
  supervisor_pid=
}

hwm='awk "/^VmHWM/ {print \$2}" /proc/$PPID/status'

echo "== peak RSS (kB, median of $N) =="
for i in $(seq "$N"); do "$RUN" -- sh -c "$hwm" 2>/dev/null; done | median > "$work/rss-run"
for i in $(seq "$N"); do tini -s -- sh -c "$hwm"; done | median > "$work/rss-tini"
for i in $(seq "$N"); do dumb-init -- sh -c "$hwm"; done | median > "$work/rss-dumb-init"
for i in $(seq "$N"); do
  rm -f "$work/hwm"
  supervise_until "sh -c '$hwm > $work/hwm; exec sleep 60'" "$work/hwm"
  cat "$work/hwm"
  stop_supervisord
done | median > "$work/rss-supervisord"
"$RUN" --restart always --backoff-min 0 --max-restarts 20 -- sh -c "$hwm >> $work/hwm-restarts; exit 1" 2>/dev/null || true
after=$(tail -n 1 "$work/hwm-restarts")
printf '%-12s %8s kB\n' swtop-run "$(cat "$work/rss-run")" tini "$(cat "$work/rss-tini")" dumb-init "$(cat "$work/rss-dumb-init")" \
  supervisord "$(cat "$work/rss-supervisord")" \
  "swtop-run after 20 restarts" "$after"
echo "swtop-run/tini $(ratio "$(cat "$work/rss-run")" "$(cat "$work/rss-tini")"), swtop-run/dumb-init $(ratio "$(cat "$work/rss-run")" "$(cat "$work/rss-dumb-init")"), swtop-run/supervisord $(ratio "$(cat "$work/rss-run")" "$(cat "$work/rss-supervisord")")"

echo "== start-up: launch to child running (ms, median of $N) =="
for init in run tini dumb-init; do
  for i in $(seq "$N"); do
    t0=$(now_ns)
    case $init in
      run) t1=$("$RUN" -- sh -c 'date +%s%N' 2>/dev/null) ;;
      tini) t1=$(tini -s -- sh -c 'date +%s%N') ;;
      dumb-init) t1=$(dumb-init -- sh -c 'date +%s%N') ;;
    esac
    echo "$(( (t1 - t0) / 1000 ))" | awk '{print $1 / 1000}'
  done | median > "$work/start-$init"
done
for i in $(seq "$N"); do
  rm -f "$work/t1"
  t0=$(now_ns)
  supervise_until "sh -c 'date +%s%N > $work/t1; exec sleep 60'" "$work/t1"
  echo "$(( ($(cat "$work/t1") - t0) / 1000 ))" | awk '{print $1 / 1000}'
  stop_supervisord
done | median > "$work/start-supervisord"
printf '%-12s %8s ms\n' swtop-run "$(cat "$work/start-run")" tini "$(cat "$work/start-tini")" dumb-init "$(cat "$work/start-dumb-init")" \
  supervisord "$(cat "$work/start-supervisord")"
echo "swtop-run/tini $(ratio "$(cat "$work/start-run")" "$(cat "$work/start-tini")"), swtop-run/dumb-init $(ratio "$(cat "$work/start-run")" "$(cat "$work/start-dumb-init")"), swtop-run/supervisord $(ratio "$(cat "$work/start-run")" "$(cat "$work/start-supervisord")")"

echo "== restart latency: end of a run to the next run (ms, median of 20 restarts) =="
gaps() { python3 -c 'import sys, statistics; t=[int(x) for x in open(sys.argv[1]).read().split()]; g=[(b-a)/1e6 for a, b in zip(t, t[1:])]; print(f"{statistics.median(g):.3f}")' "$1"; }
"$RUN" --restart always --backoff-min 0 --max-restarts 20 -- sh -c "date +%s%N >> $work/times-run; exit 1" 2>/dev/null || true
supervise_until "sh -c 'date +%s%N >> $work/times-supervisord; exit 1'" "$work/times-supervisord"
while [ "$(wc -l < "$work/times-supervisord")" -lt 21 ]; do sleep 0.1; done
stop_supervisord
printf '%-12s %8s ms\n' swtop-run "$(gaps "$work/times-run")" supervisord "$(gaps "$work/times-supervisord")"
printf '%-12s %s\n' tini "n/a (does not restart)" dumb-init "n/a (does not restart)"
echo "swtop-run/supervisord $(ratio "$(gaps "$work/times-run")" "$(gaps "$work/times-supervisord")")"

echo "== CPU while idle: ticks over 5 s, the child sleeping =="
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
"$RUN" -- sleep 30 2>/dev/null & run_pid=$!
tini -s -- sleep 30 & tini_pid=$!
dumb-init -- sleep 30 & dumb_pid=$!
rm -f "$work/up"; supervise_until "sh -c 'echo 1 > $work/up; exec sleep 30'" "$work/up"
sleep 0.5
a=$(ticks $run_pid); b=$(ticks $tini_pid); d=$(ticks $dumb_pid); c=$(ticks "$supervisor_pid")
sleep 5
printf '%-12s %8s ticks\n' swtop-run $(( $(ticks $run_pid) - a )) tini $(( $(ticks $tini_pid) - b )) dumb-init $(( $(ticks $dumb_pid) - d )) \
  supervisord $(( $(ticks "$supervisor_pid") - c ))
kill $run_pid $tini_pid $dumb_pid 2>/dev/null; wait $run_pid $tini_pid $dumb_pid 2>/dev/null || true
stop_supervisord
