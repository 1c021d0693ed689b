#!/usr/bin/env bash
# CPU seconds per scrape and peak RSS of swtop's exporter against Debian's
# prometheus-process-exporter (grouping by command name, its other settings as shipped), both
# scraped every second for SECS seconds with N sleeping processes, in the same run.
#
#   Scripts/bench-export.sh [N [SECS]]     default 5000 processes, 30 s
#   Issue 12 targets: swtop's CPU per scrape <= 0.1x the anchor's, peak RSS <= 0.5x.
#
# Each exporter has its own scraper that starts a scrape every second, or as soon as the
# previous one is answered when that takes longer (as Prometheus skips a scrape whose
# predecessor is still running); CPU per scrape is the CPU the exporter used over the window
# divided by the scrapes it answered. SWTOP_EXPORTER_BIN=path measures that binary.
# Ends exactly the processes it started, by pid.
set -euo pipefail
N=${1:-5000}
SECS=${2:-30}
cd "$(dirname "$0")/.."
command -v prometheus-process-exporter >/dev/null || { echo "needs prometheus-process-exporter (apt-get install prometheus-process-exporter)" >&2; exit 1; }
command -v curl >/dev/null || { echo "needs curl" >&2; exit 1; }

if [ -n "${SWTOP_EXPORTER_BIN:-}" ]; then
  EXPORTER=$SWTOP_EXPORTER_BIN
else
  lock=()
  [ -e /tmp/swtop-build.lock ] && lock=(flock /tmp/swtop-build.lock)
  "${lock[@]}" swift build -c release --static-swift-stdlib --product swtop-exporter >/dev/null
  EXPORTER=$(swift build -c release --static-swift-stdlib --show-bin-path)/swtop-exporter
fi

pids=()
scratch=$(mktemp -d)
cleanup() {
  [ ${#pids[@]} -gt 0 ] && kill "${pids[@]}" 2>/dev/null
  wait 2>/dev/null || true
  rm -rf "$scratch"
}
trap cleanup EXIT

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# Waits until URL answers 200 (at most 60 s).
wait_ready() {
  for ((i = 0; i < 600; i++)); do
    curl -sf -o /dev/null "$1" && return 0
    sleep 0.1
  done
  echo "no answer from $1" >&2
  exit 1
}

ulimit -u unlimited 2>/dev/null || ulimit -u "$(ulimit -Hu)" 2>/dev/null || true
for ((i = 0; i < N; i++)); do sleep 100000 & pids+=($!); done
echo "started $N sleeping processes; $(ls -d /proc/[0-9]* | wc -l) processes in /proc; load: $(cut -d' ' -f1-3 /proc/loadavg)"

swtop_port=$(free_port)
"$EXPORTER" --listen "127.0.0.1:$swtop_port" --group-by name 2>"$scratch/swtop.log" &
pids+=($!); swtop_pid=$!
anchor_port=$(free_port)
cat > "$scratch/process-exporter.yml" <<'YML'
process_names:
  - name: "{{.Comm}}"
    cmdline:
      - '.+'
YML
prometheus-process-exporter -config.path "$scratch/process-exporter.yml" -web.listen-address "127.0.0.1:$anchor_port" >"$scratch/anchor.log" 2>&1 &
pids+=($!); anchor_pid=$!
wait_ready "http://127.0.0.1:$swtop_port/metrics"
wait_ready "http://127.0.0.1:$anchor_port/metrics"
# A first scrape each, outside the window: both set up their tables of processes then.
curl -sf -o "$scratch/swtop.prom" "http://127.0.0.1:$swtop_port/metrics"
curl -sf -o "$scratch/anchor.prom" "http://127.0.0.1:$anchor_port/metrics"

# scraper NAME URL: a scrape every second (or back to back when slower) for SECS seconds; the
# number answered, and the wall time of each, go to files.
scraper() {
  local name=$1 url=$2 end=$((SECONDS + SECS)) next count=0
  : > "$scratch/$name.times"
  while [ $SECONDS -lt $end ]; do
    next=$(date +%s.%N)
    curl -sf -o /dev/null -w '%{time_total}\n' --max-time 30 "$url" >> "$scratch/$name.times" && count=$((count + 1))
    sleep "$(awk -v n="$next" -v now="$(date +%s.%N)" 'BEGIN { d = n + 1 - now; print (d > 0 ? d : 0) }')"
  done
  echo "$count" > "$scratch/$name.count"
}

s0=$(ticks "$swtop_pid"); a0=$(ticks "$anchor_pid")
scraper swtop "http://127.0.0.1:$swtop_port/metrics" & scrapers=($!)
scraper anchor "http://127.0.0.1:$anchor_port/metrics" & scrapers+=($!)
wait "${scrapers[@]}"
s1=$(ticks "$swtop_pid"); a1=$(ticks "$anchor_pid")

report() {
  local name=$1 used=$2 pid=$3 label=$4
  local count; count=$(cat "$scratch/$name.count")
  local wall; wall=$(sort -n "$scratch/$name.times" | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
  local hwm; hwm=$(awk '/VmHWM/ { print $2 }' "/proc/$pid/status")
  printf '%-28s %8d %12.4f %12.3f %10.1f\n' "$label" "$count" "$(awk -v t="$used" -v c="$count" 'BEGIN { print t / 100 / c }')" "$wall" "$(awk -v k="$hwm" 'BEGIN { print k / 1024 }')"
}
echo "scraped every second for ${SECS}s; load after: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-28s %8s %12s %12s %10s\n' exporter scrapes "CPU-s/scrape" "median wall s" "peak RSS MB"
report swtop $((s1 - s0)) "$swtop_pid" swtop-exporter
report anchor $((a1 - a0)) "$anchor_pid" prometheus-process-exporter
awk -v st="$((s1 - s0))" -v sc="$(cat "$scratch/swtop.count")" -v at="$((a1 - a0))" -v ac="$(cat "$scratch/anchor.count")" \
  -v sh="$(awk '/VmHWM/ { print $2 }' "/proc/$swtop_pid/status")" -v ah="$(awk '/VmHWM/ { print $2 }' "/proc/$anchor_pid/status")" \
  'BEGIN {
    cpu = (st / sc) / (at / ac); rss = sh / ah
    printf "swtop/process-exporter: CPU per scrape %.3fx (target <= 0.1x: %s), peak RSS %.2fx (target <= 0.5x: %s)\n",
      cpu, (cpu <= 0.1 ? "met" : "NOT met"), rss, (rss <= 0.5 ? "met" : "NOT met")
  }'
echo "groups: swtop $(grep -c '^swtop_group_num_procs' "$scratch/swtop.prom"), process-exporter $(grep -c '^namedprocess_namegroup_num_procs' "$scratch/anchor.prom")"
