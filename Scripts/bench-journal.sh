#!/usr/bin/env bash
# Reading the journal back: `swtop events --since` over a million recorded events, against
# `jq -c 'select(...)'` over the same file, in one run.
#
#   Scripts/bench-journal.sh [LINES]   LINES events (default 1000000) in one day's file, a mix
#     of exits (a quarter killed by a signal), zombies, orphans and crash loops, as EventJSON
#     writes them (each with its cgroup, unit and container, an eighth in a Docker container).
#     Side by side, swtop and jq over the same file: every line as JSON (`jq -c .`), every line
#     in words (jq: a line of text from the fields), `--outcome killed` and `--unit
#     worker-3.service` (jq's `select`, the same lines out, checked); the time, peak RSS and
#     lines out of each, and jq's time over swtop's. Then swtop's --unit in words and --failures.
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
  cid = "4f2c9d1e7a3b5c6d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d"
  for (i = 0; i < n; i++) {
    t = start + span * i / n
    ms = int((t - int(t)) * 1000)
    ts = strftime("%Y-%m-%dT%H:%M:%S", int(t), 1) sprintf(".%03dZ", ms)
    pid = 1000 + i % 4000000
    k = i % 16
    head = "{\"schema\":\"swtop-event/1\",\"time\":\"" ts "\",\"event\":\""
    proc = ",\"pid\":" pid ",\"name\":\"worker-" (i % 97) "\",\"cmdline\":[\"/usr/bin/worker\",\"--queue\",\"q" (i % 13) "\",\"--id\",\"" i "\"],\"ppid\":" (pid % 500 + 2) ",\"uid\":33,\"user\":\"www-data\""
    # The cgroup fields: a unit each, every eighth in a Docker container.
    if (i % 8 == 7) proc = proc ",\"cgroup\":\"/system.slice/docker-" cid ".scope\",\"unit\":\"docker-" cid ".scope\",\"container\":{\"runtime\":\"docker\",\"id\":\"" cid "\",\"pod\":null,\"name\":\"web-" (i % 5) "\"}"
    else proc = proc ",\"cgroup\":\"/system.slice/worker-" (i % 7) ".service\",\"unit\":\"worker-" (i % 7) ".service\",\"container\":null"
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
  /usr/bin/time -f "%e %M %U %S" -o "$work/time-$label" "$@" >"$work/out-$label" 2>/dev/null
  read -r secs kb user sys <"$work/time-$label"
  # CPU seconds too: on a shared machine the wall time also holds the waits for a core.
  eval "secs_$label=$secs kb_$label=$kb cpu_$label=$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')"
}
# One reading, swtop's and jq's side by side: times, peak RSS, lines out, jq's time over swtop's.
row() {
  local what=$1 s=$2 j=$3
  local ss sc kk js jc jk
  eval "ss=\$secs_$s sc=\$cpu_$s kk=\$kb_$s js=\$secs_$j jc=\$cpu_$j jk=\$kb_$j"
  printf '%-30s %6.2f s %5.2f CPU-s %6d KB %8d | %6.2f s %6.2f CPU-s %6d KB %8d | %5.1fx\n' "$what" "$ss" "$sc" "$kk" "$(wc -l <"$work/out-$s")" \
    "$js" "$jc" "$jk" "$(wc -l <"$work/out-$j")" "$(awk -v a="$js" -v b="$ss" 'BEGIN { print (b > 0 ? a / b : 0) }')"
}
single() {
  local what=$1 s=$2
  local ss sc kk
  eval "ss=\$secs_$s sc=\$cpu_$s kk=\$kb_$s"
  printf '%-30s %6.2f s %5.2f CPU-s %6d KB %8d\n' "$what" "$ss" "$sc" "$kk" "$(wc -l <"$work/out-$s")"
}
# swtop also prints the journal's own lines whatever the filter: none are in this file.
measure swtop_json "$SWTOP" events --since 1d --journal "$journal" --json
measure jq_json jq -c . "$file"
measure swtop_words "$SWTOP" events --since 1d --journal "$journal" --all
# jq's nearest to the words: one line of text an event from its fields.
measure jq_words jq -r '"\(.time) \(.pid) \(.name): \(.event) \(.outcome // "") \(.exit_code // .signal // "")"' "$file"
measure swtop_outcome "$SWTOP" events --since 1d --journal "$journal" --json --outcome killed
measure jq_outcome jq -c 'select(.outcome == "killed")' "$file"
measure swtop_unit "$SWTOP" events --since 1d --journal "$journal" --json --unit worker-3.service
measure jq_unit jq -c 'select(.unit == "worker-3.service")' "$file"
measure swtop_unit_words "$SWTOP" events --since 1d --journal "$journal" --unit worker-3.service
measure swtop_failures "$SWTOP" events --since 1d --journal "$journal" --json --failures
printf '%-30s %-40s | %-41s | %s\n' "$(wc -l <"$file") lines" "swtop: time, CPU, peak RSS, lines out" "jq: time, CPU, peak RSS, lines out" "jq/swtop"
row "--json (every line)" swtop_json jq_json
row "words (every line)" swtop_words jq_words
row "--json --outcome killed" swtop_outcome jq_outcome
row "--json --unit worker-3.service" swtop_unit jq_unit
single "--unit worker-3.service words" swtop_unit_words
single "--json --failures" swtop_failures
for pair in json:json outcome:outcome unit:unit; do
  if cmp -s "$work/out-swtop_${pair%%:*}" "$work/out-jq_${pair##*:}"; then same=yes; else same=NO; fi
  echo "same lines out as jq (${pair%%:*}): $same"
done
echo "target: a million lines in at most 2 s, --json and words"
