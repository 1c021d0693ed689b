#!/usr/bin/env bash
# Writes Linker/hot-functions.order: which code the release link places first in .text, so that
# the pages of code the screen runs are few and adjacent. The kernel maps code in 64 KB blocks
# around each page touched, so code scattered over the binary's 10 MB costs peak RSS.
#
# The order, from callgrind profiles of the release binary:
#   1. what the screen runs once it is up (after its fourth StartupPages.giveBack, which unmaps
#      what start-up touched, so that only these pages come back);
#   2. what the screen's start-up runs (its first sample, its first paint and reading the journal,
#      each followed by a give-back);
#   3. what the process's start-up runs (argument parsing, the runtime's registration), adjacent
#      too, so that the RSS before each give-back is small as well;
#   4. what --once and --once --json run.
# Then, in .rodata, the protocol conformance descriptors: the runtime reads all 3,600 of them
# whenever it first looks up a conformance (at the first use of a generic type with a
# requirement, say), and each read maps 64 KB around it; side by side they take a few blocks
# instead of most of .rodata.
# The linker moves input sections, not functions: swtop's own code is compiled with a section per
# function (Package.swift), but swift-argument-parser's objects have one .text for all their
# functions, and libswiftCore's Swift.o has one 1.5 MB .text besides its function sections. A
# section is listed only when at least a quarter of it ran (or it is small): a name in a large
# cold section would drag all of it to the front. A name that several sections define (a local
# helper each object has its own copy of) moves them all, so it is listed only if each of them
# may move.
#
# Run it after a change that adds code to the screen's refresh path; a stale list costs only
# memory (names no longer found are skipped). Needs valgrind and tmux.
# Usage: Scripts/hot-functions.sh [DIR]   (DIR keeps the profiles and the link map)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "needs valgrind" >&2; exit 1; }
command -v tmux >/dev/null || { echo "needs tmux" >&2; exit 1; }
KEEP=${1:-}
OUT=${KEEP:-$(mktemp -d)}
mkdir -p "$OUT"
SOCKET=swtop-hot-$$
trap 'tmux -L "$SOCKET" kill-server 2>/dev/null || true; [ -n "$KEEP" ] || rm -rf "$OUT"' EXIT

# The link map names every input section and the symbols in it (a relink only).
swift build -c release --static-swift-stdlib --product swtop \
  -Xlinker -Map="$OUT/swtop.map" -Xlinker --no-demangle >/dev/null
SWTOP=$(swift build -c release --static-swift-stdlib --show-bin-path)/swtop

# The screen, as a user drives it: refreshes, each sort, tree, filter, search, help. The profile
# is dumped as each give-back starts. The pattern matches two functions (giveBack and its
# specialization, one calling the other), so every other part is a few instructions long: those
# are left out. Of the others, the first is the process's start-up; the next three the screen's
# (its first sample, its first picture, and the journal read on its own thread, whose pages the
# screen gives back once it is done); the rest, and screen.cg, what the screen runs once it is up.
tmux -L "$SOCKET" -f /dev/null new-session -d -x 160 -y 50 \
  "valgrind --tool=callgrind --demangle=no --dump-before='*5Pages*8giveBack*' \
     --callgrind-out-file=$OUT/screen.cg $SWTOP -d 10 2>/dev/null"
sleep 15
for keys in P M T N t t / s l Escape '\' s h Escape Escape h Escape H H K K; do
  tmux -L "$SOCKET" send-keys "$keys"
  sleep 2
done
tmux -L "$SOCKET" send-keys q
for _ in $(seq 60); do tmux -L "$SOCKET" has-session 2>/dev/null || break; sleep 1; done
parts=()
for part in $(ls -v "$OUT"/screen.cg.*); do
  [ "$(sed -n 's/^summary: //p' "$part")" -gt 1000 ] && parts+=("$part")
done
[ ${#parts[@]} -ge 4 ] || { echo "no start-up profiles: was StartupPages.giveBack renamed?" >&2; exit 1; }
valgrind --tool=callgrind --demangle=no --callgrind-out-file="$OUT/once.cg" "$SWTOP" --once >/dev/null 2>&1
valgrind --tool=callgrind --demangle=no --callgrind-out-file="$OUT/json.cg" "$SWTOP" --once --json --tree >/dev/null 2>&1

# Function names that ran (callgrind writes each once a file, as "fn=(N) NAME").
ran() { cat "$@" | sed -n 's/^c\{0,1\}fn=([0-9]*) \(.*\)$/\1/p' | sort -u; }
ran "$OUT/screen.cg" "${parts[@]:4}" >"$OUT/1"
ran "${parts[@]:1:3}" >"$OUT/2"
ran "${parts[0]}" >"$OUT/3"
ran "$OUT/once.cg" "$OUT/json.cg" >"$OUT/4"

awk -v out="$OUT" '
  # The map: "VMA LMA Size Align" then the output section (1 space), an input section (9) or a
  # symbol (17).
  FILENAME ~ /swtop.map$/ {
    if (!match($0, /^ *[0-9a-f]+ +[0-9a-f]+ +[0-9a-f]+ +[0-9]+ +/)) next
    indent = 0; rest = substr($0, RLENGTH + 1); head = substr($0, 1, RLENGTH)
    while (substr(head, length(head) - indent, 1) == " ") indent++
    size = strtonum_hex($3)
    if (indent < 5) { inText = (rest == ".text"); inRodata = (rest == ".rodata"); next }
    if (inRodata) {
      if (indent < 13) { rodataSize = size; rodataListed = 0; next }
      # A conformance descriptor ("Mc"); a large section holds more than descriptors.
      if (rest ~ /Mc$/ && !rodataListed && rodataSize <= 65536) { descriptors[++descriptorCount] = rest; rodataListed = 1 }
      next
    }
    if (!inText) next
    if (indent < 13) { sec++; secSize[sec] = size; next }
    defs[rest]++; home[rest, defs[rest]] = sec; symSize[rest] = size
    next
  }
  # The profiles: group 1 to 4 by file name.
  { group = substr(FILENAME, length(FILENAME)); if (!($0 in firstGroup)) { firstGroup[$0] = group; names[group, ++count[group]] = $0 } }
  END {
    for (name in firstGroup) for (d = 1; d <= defs[name]; d++) hot[home[name, d]] += symSize[name]
    for (g = 1; g <= 4; g++)
      for (i = 1; i <= count[g]; i++) {
        name = names[g, i]
        if (!defs[name]) continue
        movable = 1; fresh = 0
        for (d = 1; d <= defs[name]; d++) {
          s = home[name, d]
          if (!(hot[s] * 4 >= secSize[s] || secSize[s] <= 4096)) movable = 0
          if (!(s in listed)) fresh = 1
        }
        if (!movable || !fresh) continue
        for (d = 1; d <= defs[name]; d++) listed[home[name, d]] = 1
        print name
      }
    for (i = 1; i <= descriptorCount; i++) print descriptors[i]
  }
  function strtonum_hex(h,    v, i, c) {
    v = 0
    for (i = 1; i <= length(h); i++) { c = index("0123456789abcdef", substr(h, i, 1)) - 1; v = v * 16 + c }
    return v
  }
' "$OUT/swtop.map" "$OUT/1" "$OUT/2" "$OUT/3" "$OUT/4" >Linker/hot-functions.order
echo "Linker/hot-functions.order: $(wc -l <Linker/hot-functions.order) sections of code and read-only data"
