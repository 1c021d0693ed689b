#!/usr/bin/env bash
# Times `swtop --once --json --interval 0` against ps and `top -b -n 1` with N sleeping
# processes (default 5000) in one run, and prints the ratios. Issue target: swtop <= 0.65x ps.
# Ends exactly the processes it started, by pid.
set -euo pipefail
N=${1:-5000}
RUNS=${RUNS:-15}
cd "$(dirname "$0")/.."

command -v hyperfine >/dev/null || { echo "needs hyperfine (apt-get install hyperfine)" >&2; exit 1; }
swift build -c release --static-swift-stdlib >/dev/null
SWTOP=$(swift build -c release --static-swift-stdlib --show-bin-path)/swtop

pids=()
cleanup() { [ ${#pids[@]} -gt 0 ] && kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT
ulimit -u unlimited 2>/dev/null || true
for ((i = 0; i < N; i++)); do sleep 100000 & pids+=($!); done
total=$(ls -d /proc/[0-9]* | wc -l)
echo "started $N sleeping processes; $total processes in /proc"

out=$(mktemp)
hyperfine -N --warmup 3 --runs "$RUNS" --export-json "$out" \
  -n swtop "$SWTOP --once --json --interval 0" \
  -n ps "ps -eo pid,ppid,stat,rss,vsz,nlwp,ni,comm" \
  -n top "top -b -n 1" >/dev/null

python3 - "$out" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
med = {k: sorted(v["times"])[len(v["times"]) // 2] for k, v in r.items()}
for k in ("swtop", "ps", "top"):
    print(f"{k:6} median {med[k]*1000:8.1f} ms   user {r[k]['user']*1000:7.1f} ms   sys {r[k]['system']*1000:7.1f} ms")
print(f"swtop/ps  = {med['swtop']/med['ps']:.2f}x  (target <= 0.65x)")
print(f"swtop/top = {med['swtop']/med['top']:.2f}x")
PY
rm -f "$out"
