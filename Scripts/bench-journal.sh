#!/usr/bin/env bash
# Reading the journal back: `swtop events --since` over a million recorded events, against
# `jq -c 'select(...)'` over the same file, in one run.
#
#   Scripts/bench-journal.sh [LINES]   LINES events (default 1000000) in one day's file, a mix
#     of exits (a quarter killed by a signal), zombies, orphans and crash loops, as EventJSON
#     writes them. Times: `swtop events --since 1d --json --outcome killed` and
#     `jq -c 'select(.outcome == "killed")'` (the same lines out, checked), then swtop's plain
#     `--json` and its words; the peak RSS of each, and swtop's time over jq's.
#     Issue 20 target: a million lines in at most 2 s.
#
# SWTOP_BIN=path runs that binary instead of building the release one. Needs jq (apt-get
# install jq) and GNU time. Everything it writes is in a temporary directory, removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
LINES=${1:-1000000}
command -v jq >/dev/null || { echo "needs jq (apt-get install -y jq)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "needs GNU time (apt-get install -y time)" >&2; exit 2; }
source Scripts/bench-lib.sh
build_swtop
work=$(mktemp -d "${TMPDIR:-/tmp}/swtop-bench-journal.XXXXXX")
trap 'cleanup; rm -rf "$work"' EXIT
journal=$work/journal
mkdir -p "$journal"
day=$(date -u +%F)
file=$journal/events-$day.jsonl
# Times through the current UTC day up to now, in order.
start=$(date -u -d "$day" +%s)
now=$(date -u +%s)
awk -v n="$LINES" -v start="$start" -v now="$now" 'BEGIN {
  span = now - start; if (span < 1) span = 1
  for (i = 0; i < n; i++) {
    t = start + span * i / n
    ms = int((t - int(t)) * 1000)
    ts = strftime("%Y-%m-%dT%H:%M:%S", int(t), 1) sprintf(".%03dZ", ms)
    pid = 1000 + i % 4000000
    k = i % 16
    head = "{\"schema\":\"swtop-event/1\",\"time\":\"" ts "\",\"event\":\""
    proc = ",\"pid\":" pid ",\"name\":\"worker-" (i % 97) "\",\"cmdline\":[\"/usr/bin/worker\",\"--queue\",\"q" (i % 13) "\",\"--id\",\"" i "\"],\"ppid\":" (pid % 500 + 2) ",\"uid\":33,\"user\":\"www-data\""
    if (k < 4) {
      print head "exit\"" proc ",\"outcome\":\"killed\",\"exit_code\":null,\"signal\":\"SIGKILL\",\"start_time\":\"" ts "\",\"lifetime_s\":3.125,\"source\":\"proc_connector\",\"parent_name\":\"supervisor\",\"stopped_by_swtop\":null}"
    } else if (k < 13) {
      print head "exit\"" proc ",\"outcome\":\"exited\",\"exit_code\":" (i % 3) ",\"signal\":null,\"start_time\":\"" ts "\",\"lifetime_s\":12.5,\"source\":\"proc_connector\",\"parent_name\":\"supervisor\",\"stopped_by_swtop\":null}"
    } else if (k == 13) {
      print head "zombie\"" proc ",\"outcome\":\"exited\",\"exit_code\":1,\"signal\":null,\"parent_name\":\"supervisor\",\"unreaped_s\":6.002}"
    } else if (k == 14) {
      print head "orphan\"" proc ",\"former_ppid\":77,\"former_parent_name\":\"sh\"}"
    } else {
      print head "crash_loop\"" proc ",\"restarts\":3,\"window_s\":60,\"last_outcome\":\"exited\",\"last_exit_code\":1,\"last_signal\":null,\"pids\":[" pid-2 "," pid-1 "," pid "]}"
    }
  }
}' >"$file"
echo "$(wc -l <"$file") lines, $(du -m "$file" | cut -f1) MB in $file"

# Each run twice, the second timed (the file is then in the page cache for both readers).
measure() {
  local label=$1; shift
  "$@" >"$work/out-$label" 2>/dev/null
  /usr/bin/time -f "%e %M" -o "$work/time-$label" "$@" >"$work/out-$label" 2>/dev/null
  read -r secs kb <"$work/time-$label"
  printf '%-44s %6.2f s %7d KB peak RSS %9d lines out\n' "$label" "$secs" "$kb" "$(wc -l <"$work/out-$label")"
  eval "secs_$label=$secs"
}
measure jq_select jq -c 'select(.outcome == "killed")' "$file"
# swtop also prints the journal's own lines whatever the filter: none are in this file.
measure swtop_outcome "$SWTOP" events --since 1d --journal "$journal" --json --outcome killed
measure swtop_failures "$SWTOP" events --since 1d --journal "$journal" --json --failures
measure swtop_json "$SWTOP" events --since 1d --journal "$journal" --json
measure swtop_words "$SWTOP" events --since 1d --journal "$journal"
if cmp -s "$work/out-jq_select" "$work/out-swtop_outcome"; then echo "same lines out: yes"; else echo "same lines out: NO"; fi
awk -v s="$secs_swtop_outcome" -v j="$secs_jq_select" 'BEGIN { if (s > 0) printf "jq / swtop (--outcome killed): %.1fx\n", j / s }'
