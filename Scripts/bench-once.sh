#!/usr/bin/env bash
# Times `swtop --once --json --interval 0` against ps and `top -b -n 1` with N sleeping
# processes (default 5000) in one run, and prints the ratios. Targets: swtop <= 0.65x ps at 5,000
# processes (issue 3), <= 0.5x ps at 15,000 (issue 8: `Scripts/bench-once.sh 15000`).
# Also times `--once --json --fields` with ps's own columns against that ps (issue 18: <= 0.5x
# at 5,000 and 15,000): the same columns, each process's stat alone.
# Also times Scripts/proc-floor.c: the same six files a process and cgroup.procs files read by a C loop that parses and
# prints nothing, on as many threads as CPUs: the least any reader of those files can take, so
# floor/ps is the best ratio this machine allows.
# SWTOP_BIN=path times that binary instead of building one.
# Ends exactly the processes it started, by pid.
set -euo pipefail
N=${1:-5000}
RUNS=${RUNS:-15}
cd "$(dirname "$0")/.."

command -v hyperfine >/dev/null || { echo "needs hyperfine (apt-get install hyperfine)" >&2; exit 1; }
if [ -n "${SWTOP_BIN:-}" ]; then
  SWTOP=$SWTOP_BIN
else
  swift build -c release --static-swift-stdlib >/dev/null
  SWTOP=$(swift build -c release --static-swift-stdlib --show-bin-path)/swtop
fi

floor=$(mktemp)
cc=$(command -v cc || command -v clang || true)
[ -n "$cc" ] || { echo "needs a C compiler for Scripts/proc-floor.c (cc or the toolchain's clang)" >&2; exit 1; }
"$cc" -O2 -pthread -o "$floor" Scripts/proc-floor.c

pids=()
cleanup() { [ ${#pids[@]} -gt 0 ] && kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null || true; rm -f "$floor"; }
trap cleanup EXIT
ulimit -u unlimited 2>/dev/null || ulimit -u "$(ulimit -Hu)" 2>/dev/null || true
for ((i = 0; i < N; i++)); do sleep 100000 & pids+=($!); done
# A process can exit between the glob and ls: ls then fails, which is no reason to stop.
total=$( (ls -d /proc/[0-9]* 2>/dev/null || true) | wc -l)
echo "started $N sleeping processes; $total processes in /proc"

# The cgroup hierarchies swtop walks for the `cgroup` field (a cgroup.procs each, not a `cgroup`
# file a process): pure v2 its root; a hybrid machine name=systemd's and the v2 one's.
if [ -e /sys/fs/cgroup/cgroup.controllers ]; then
  hierarchies=/sys/fs/cgroup
else
  hierarchies=$(for d in /sys/fs/cgroup/systemd /sys/fs/cgroup/unified; do [ -d "$d" ] && printf '%s ' "$d"; done)
fi

out=$(mktemp)
hyperfine -N --warmup 3 --runs "$RUNS" --export-json "$out" \
  -n swtop "$SWTOP --once --json --interval 0" \
  -n fields "$SWTOP --once --json --fields pid,ppid,state,rss,vsz,threads,nice,name" \
  -n ps "ps -eo pid,ppid,stat,rss,vsz,nlwp,ni,comm" \
  -n top "top -b -n 1" \
  -n floor "$floor stat status cmdline io oom_score oom_score_adj $hierarchies" >/dev/null

python3 - "$out" "$N" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
med = {k: sorted(v["times"])[len(v["times"]) // 2] for k, v in r.items()}
for k in ("swtop", "fields", "ps", "top", "floor"):
    print(f"{k:6} median {med[k]*1000:8.1f} ms   user {r[k]['user']*1000:7.1f} ms   sys {r[k]['system']*1000:7.1f} ms")
print(f"swtop/ps  = {med['swtop']/med['ps']:.2f}x  (issue 18 target at 5,000: <= 0.65x)")
print(f"swtop/top = {med['swtop']/med['top']:.2f}x")
# ps's own columns, by swtop's names: each process's stat alone, one sample (issue 18).
print(f"fields/ps = {med['fields']/med['ps']:.2f}x  (--fields pid,ppid,state,rss,vsz,threads,nice,name against ps -eo pid,ppid,stat,rss,vsz,nlwp,ni,comm; target <= 0.5x)")
print(f"floor/ps  = {med['floor']/med['ps']:.2f}x  (the same files alone, the six a process and the cgroup walk's, read by C on every CPU)")
print(f"swtop/floor = {med['swtop']/med['floor']:.2f}x  (issue 18 target at 5,000: <= 1.2x)")
PY
rm -f "$out"
