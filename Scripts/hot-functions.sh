#!/usr/bin/env bash
# Writes Linker/hot-functions.order: the functions of the swtop binary that run while the screen
# refreshes (and while --once prints), one mangled name a line. The release link places them
# together at the start of .text, so that the pages of code the screen touches are few and
# adjacent instead of scattered over 10 MB of code (Swift stdlib, FoundationEssentials,
# ArgumentParser): the kernel maps code in 64 KB blocks around each page touched, so scattered
# code costs peak RSS.
#
# Run it after a change that adds code to the refresh path; a stale list costs only memory
# (names no longer found are skipped, new functions stay where the linker puts them).
# Needs valgrind and tmux.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "needs valgrind" >&2; exit 1; }
command -v tmux >/dev/null || { echo "needs tmux" >&2; exit 1; }
swift build -c release --static-swift-stdlib --product swtop >/dev/null
SWTOP=$(swift build -c release --static-swift-stdlib --show-bin-path)/swtop
OUT=$(mktemp -d)
SOCKET=swtop-hot-$$
trap 'tmux -L "$SOCKET" kill-server 2>/dev/null || true; rm -rf "$OUT"' EXIT

callgrind() { valgrind --tool=callgrind --demangle=no --callgrind-out-file="$OUT/$1.cg" "${@:2}"; }

# The screen, as a user drives it: refreshes, each sort, tree, filter, search, help.
tmux -L "$SOCKET" -f /dev/null new-session -d -x 160 -y 50 \
  "valgrind --tool=callgrind --demangle=no --callgrind-out-file=$OUT/screen.cg $SWTOP -d 10 2>/dev/null"
sleep 15
for keys in P M T N t t / s l Escape '\' s h Escape Escape h Escape H H K K; do
  tmux -L "$SOCKET" send-keys "$keys"
  sleep 2
done
tmux -L "$SOCKET" send-keys q
for _ in $(seq 60); do tmux -L "$SOCKET" has-session 2>/dev/null || break; sleep 1; done
callgrind once "$SWTOP" --once >/dev/null 2>&1
callgrind json "$SWTOP" --once --json --tree >/dev/null 2>&1

# Function names (callgrind writes each once, as "fn=(N) NAME"), kept only if they name one
# function of this binary: a local name defined in many object files (a value witness, a merged
# function) would pull all of those files' code to the front.
nm --defined-only "$SWTOP" | awk '$2 ~ /^[tTwW]$/ { print $3 }' | sort | uniq -u >"$OUT/defined"
cat "$OUT"/*.cg | sed -n 's/^c\{0,1\}fn=([0-9]*) \(.*\)$/\1/p' | sort -u >"$OUT/ran"
comm -12 "$OUT/defined" "$OUT/ran" >Linker/hot-functions.order
echo "Linker/hot-functions.order: $(wc -l <Linker/hot-functions.order) functions"
