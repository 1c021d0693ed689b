#!/usr/bin/env bash
# The screen with a large journal: what the E view's 24 hours cost at start and in memory.
#
#   Scripts/bench-journal-screen.sh [LINES]   LINES exit events (default 250000, about 100 MB)
#     spread over the last 23 hours, in the day files they fall in. The screen runs in tmux
#     with --journal on that directory, then on an empty one; for each: the seconds to its first
#     picture, the seconds until E shows the journal read, and its peak RSS (VmHWM) after that.
#     `-F worker-30` keeps the machine's own live events from pushing the journal's rule off
#     the view (the view still reads and keeps the newest 2,000 lines of every process).
#
# SWTOP_BIN=path runs that binary instead of building the release one. Everything it writes is
# in a temporary directory, removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
LINES=${1:-250000}
source Scripts/bench-lib.sh
build_swtop
work=$(mktemp -d "${TMPDIR:-/tmp}/swtop-bench-journal-screen.XXXXXX")
trap 'cleanup; rm -rf "$work"' EXIT
big=$work/big
empty=$work/empty
mkdir -p "$big" "$empty"
now=$(date -u +%s)
awk -v n="$LINES" -v now="$now" -v dir="$big" 'BEGIN {
  start = now - 23 * 3600
  for (i = 0; i < n; i++) {
    t = start + (now - 60 - start) * i / n
    ms = int((t - int(t)) * 1000)
    ts = strftime("%Y-%m-%dT%H:%M:%S", int(t), 1) sprintf(".%03dZ", ms)
    file = dir "/events-" strftime("%Y-%m-%d", int(t), 1) ".jsonl"
    pid = 1000 + i % 4000000
    if (i == 0) print "{\"schema\":\"swtop-event/1\",\"time\":\"" ts "\",\"event\":\"recording\",\"state\":\"started\",\"pid\":4242,\"sources\":[\"proc connector\"]}" > file
    print "{\"schema\":\"swtop-event/1\",\"time\":\"" ts "\",\"event\":\"exit\",\"pid\":" pid ",\"name\":\"worker-" (i % 97) "\",\"cmdline\":[\"/usr/bin/worker\",\"--queue\",\"queue-number-" (i % 13) "\",\"--config\",\"/etc/worker/worker-" (i % 97) ".conf\",\"--id\",\"" i "\",\"--log-level\",\"info\",\"--retries\",\"5\",\"--timeout\",\"30s\"],\"ppid\":" (pid % 500 + 2) ",\"uid\":33,\"user\":\"www-data\",\"outcome\":\"exited\",\"exit_code\":" (1 + i % 3) ",\"signal\":null,\"start_time\":\"" ts "\",\"lifetime_s\":12.5,\"source\":\"proc_connector\",\"parent_name\":\"supervisor\",\"stopped_by_swtop\":null}" > file
  }
}'
echo "$(cat "$big"/*.jsonl | wc -l) lines, $(du -cm "$big"/*.jsonl | tail -1 | cut -f1) MB in $big"

# One screen on JOURNAL: seconds to the first picture, to the journal shown in E, peak RSS.
run_screen() {
  local label=$1 journal=$2
  tmux -L "$SOCKET" kill-server 2>/dev/null || true
  local t0
  t0=$(date +%s.%N)
  tmux -L "$SOCKET" -f /dev/null new-session -d -s s -x 160 -y 40 "$SWTOP --no-config -d 15 -F worker-30 --journal '$journal'; sleep 600"
  until tmux -L "$SOCKET" capture-pane -p -t s | grep -q 'F1Help'; do sleep 0.01; done
  local t1
  t1=$(date +%s.%N)
  tmux -L "$SOCKET" send-keys -t s E
  until tmux -L "$SOCKET" capture-pane -p -t s | grep -q -- '── recorded in '; do sleep 0.01; done
  local t2
  t2=$(date +%s.%N)
  local shell pid
  shell=$(pane_pid s)
  pid=$(pgrep -P "$shell" -x swtop | head -1)
  sleep 3
  local hwm rss
  hwm=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
  printf '%-6s first picture %.3f s, journal shown %.3f s after start, peak RSS %d kB, RSS %d kB\n' \
    "$label" "$(echo "$t1 - $t0" | bc)" "$(echo "$t2 - $t0" | bc)" "$hwm" "$rss"
  tmux -L "$SOCKET" capture-pane -p -t s | grep -- '── recorded in ' || true
}
for i in 1 2 3; do
  run_screen big "$big"
  run_screen empty "$empty"
done
