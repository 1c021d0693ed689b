#!/usr/bin/env bash
# Fuzzes every /proc parser, and the plain table's formatting, with libFuzzer for SECONDS each
# (default 60), seeded from Fixtures/proc.
#
#   Scripts/fuzz.sh [SECONDS]            all targets
#   FUZZ_TARGETS="stat limits" Scripts/fuzz.sh 300
#   FUZZ_MAX_LEN=262144 Scripts/fuzz.sh     longest input (default 4096 bytes)
#
# One binary per parser (Fuzz/Fuzz<Target>.swift + the parser sources, built with swiftc
# -sanitize=fuzzer,address, not SwiftPM: a fuzzing entry point would be a second main in the
# package). Binaries, logs and crash artifacts go to .build-fuzz/; the corpora live in a temporary
# directory and are thrown away. Prints per target the executions and whether it crashed; exits 1
# if any target crashed (or hung, or ran out of memory).
set -euo pipefail

seconds=${1:-60}
# Every recorded file but one 256 KiB cmdline fits in 4 KiB; letting libFuzzer grow inputs to that
# one's size cut cmdline's rate from 17,000 inputs a second to 700.
max_len=${FUZZ_MAX_LEN:-4096}
if ! [[ $seconds =~ ^[1-9][0-9]*$ ]]; then
    echo "usage: $0 [SECONDS]  (seconds per target, a positive integer)" >&2
    exit 2
fi

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
out=.build-fuzz
mkdir -p "$out/logs" "$out/artifacts"

# target name -> entry file in Fuzz/
declare -A entry=(
    [stat]=FuzzStat [statm]=FuzzStatm [status]=FuzzStatus [cmdline]=FuzzCmdline [limits]=FuzzLimits
    [schedstat]=FuzzSchedstat [system-stat]=FuzzSystemStat [meminfo]=FuzzMeminfo [loadavg]=FuzzLoadavg
    [uptime]=FuzzUptime [lifecycle]=FuzzLifecycle [config]=FuzzConfig [sockets]=FuzzSockets
    [detail-fields]=FuzzDetailFields [cgroup]=FuzzCgroup [io]=FuzzIO [docker-config]=FuzzDockerConfig
    [taskstats]=FuzzTaskstats [journal-line]=FuzzJournalLine [table]=FuzzTable [signal]=FuzzSignal [command-line]=FuzzCommandLine
)
all="stat statm status cmdline limits schedstat system-stat meminfo loadavg uptime lifecycle config sockets detail-fields cgroup io docker-config taskstats journal-line table signal command-line"
targets=${FUZZ_TARGETS:-$all}
for t in $targets; do
    [[ -n ${entry[$t]:-} ]] || { echo "unknown target: $t (known: $all)" >&2; exit 2; }
done

# Only the pure parsers: they need neither Glibc nor the CLinux shim.
parsers=(ByteScanner ProcStat ProcStatm ProcStatus ProcCmdline ProcLimits ProcSchedstat
    SystemStat Meminfo LoadAverage ProcNetSockets ProcessDetailFields ProcCgroup ProcIO DockerConfig
    TaskstatsReply KernelRecordBytes)
sources=()
for p in "${parsers[@]}"; do sources+=("Sources/ProcFS/$p.swift"); done
# The lifecycle monitor's parsers of what the kernel reports (pure too).
for p in ConnectorMessage OOMLine MemoryCgroup SignalSample; do sources+=("Sources/Lifecycle/$p.swift"); done
sources+=(Fuzz/Sink.swift)
# The settings file's parser is pure Swift too, in SwtopUI.
config_sources=(Sources/SwtopUI/Config/ConfigFile.swift Fuzz/Sink.swift)
# The journal's reader: the flat JSON line and the times (ProcFS's, which swtop run's state
# files share) and the day files' names in it (pure Swift; DayFile copied without its import).
journal_dir=$out/journal-sources
journal_sources=(Sources/ProcFS/FlatJSONLine.swift Sources/ProcFS/CalendarDay.swift "$journal_dir/DayFile.swift" Fuzz/Sink.swift)

# The plain table's formatting (--once): ProcFS, ProcessModel and PlainTable compiled as one
# module, so copies without their imports of each other, with the CLinux shim on the path.
table_dir=$out/table-sources
table_sources() {
    rm -rf "$table_dir"
    mkdir -p "$table_dir"
    for f in Sources/ProcFS/*.swift Sources/ProcessModel/*.swift Sources/ProcessModel/Columns/*.swift Sources/OutputFormats/PlainTable.swift; do
        sed '/^import \(ProcFS\|ProcessModel\)$/d' "$f" >"$table_dir/$(basename "$f")"
    done
}
# The command line's rewriting (kill's and renice's forms, negative values) and its pid and
# signal parsers, also free of imports.
command_line_sources=(Sources/swtop/ToolHabits.swift Sources/swtop/NegativeArguments.swift Sources/swtop/PIDText.swift
    Sources/ProcessControl/Signal.swift Fuzz/Sink.swift)

# Copies the files that match find's arguments into the corpus, one name per path.
seed() {
    local corpus=$1
    shift
    find Fixtures/proc "$@" -type f -print0 | while IFS= read -r -d '' f; do
        cp "$f" "$corpus/$(printf '%s' "${f#Fixtures/proc/}" | tr / _)"
    done
}

seed_target() {
    local t=$1 corpus=$2
    case $t in
    stat | statm | status | cmdline | limits | cgroup) seed "$corpus" -path "*/[0-9]*/$t" ;;
    # A stat line first (Fixtures/proc/extremes has every field at its limits); libFuzzer adds
    # the statm, uid and values after it.
    table) seed "$corpus" -path "*/[0-9]*/stat" ;;
    io) seed "$corpus" "(" -path "*/[0-9]*/io" -o -path "*/[0-9]*/oom_score*" ")" ;;
    docker-config) cp Fixtures/docker/config.v2.json "$corpus/" ;;
    # Replies recorded from the kernel: an account, a task gone (ESRCH), the family's id, no family.
    taskstats) cp Fixtures/taskstats/* "$corpus/" ;;
    # The tracepoint's format file as the kernel writes it, and a SIGTERM sample with a lost record.
    signal)
        cp Fixtures/tracepoint/signal_generate.format "$corpus/"
        printf '\x09\x00\x00\x00\x00\x00\x50\x00\x2c\x03\x00\x00\x2d\x03\x00\x00\x00\xca\x9a\x3b\x00\x00\x00\x00\x34\x00\x00\x00\x05\x01\x00\x00\x2c\x03\x00\x00\x0f\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x61\x70\x69\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\xd2\x04\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x00\x00\x00\x00\x18\x00\x01\x00\x00\x00\x00\x00\x00\x00\x03\x00\x00\x00\x00\x00\x00\x00' >"$corpus/term"
        ;;
    system-stat) seed "$corpus" -mindepth 2 -maxdepth 2 -name stat ;;
    meminfo | loadavg | uptime) seed "$corpus" -mindepth 2 -maxdepth 2 -name "$t" ;;
    sockets) seed "$corpus" -path "*/[0-9]*/net/*" ;;
    detail-fields) seed "$corpus" -path "*/[0-9]*/*" \( -name status -o -name stat -o -name wchan -o -name stack \) ;;
    lifecycle)
        # A proc connector exit datagram, kernel log lines, cgroup files of each shape.
        printf '\x4c\x00\x00\x00\x03\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x01\x00\x00\x00\x07\x00\x00\x00\x00\x00\x00\x00\x28\x00\x00\x00\x00\x00\x00\x80\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x92\x10\x00\x00\x92\x10\x00\x00\x00\x07\x00\x00\x11\x00\x00\x00\x64\x00\x00\x00\x64\x00\x00\x00' >"$corpus/exit"
        printf 'Memory cgroup out of memory: Killed process 4242 (python3) total-vm:1kB\n' >"$corpus/killed"
        printf 'oom-kill:constraint=CONSTRAINT_MEMCG,task=python3,pid=4242,uid=0\n' >"$corpus/oom-kill"
        printf '12:memory:/t\n9:name=systemd:/system.slice/x.service\n0::/system.slice/x.service\n' >"$corpus/hybrid"
        printf '0::/user.slice/user-1000.slice/session-3.scope\n' >"$corpus/v2"
        ;;
    journal-line)
        # Lines as recorded: an exit, a crash loop, the journal's own, a torn one, escapes.
        printf '%s' '{"schema":"swtop-event/1","time":"2026-12-06T03:00:00.123Z","event":"exit","pid":4242,"name":"worker","cmdline":["/usr/bin/worker","--id","a\"b\\c\u0001\u00e9"],"ppid":1,"uid":33,"user":"www-data","outcome":"killed","exit_code":null,"signal":"SIGKILL","start_time":"2026-12-06T02:59:57.000Z","lifetime_s":3.123,"source":"proc_connector","parent_name":"init","stopped_by_swtop":null}' >"$corpus/exit"
        printf '%s' '{"schema":"swtop-event/1","time":"2026-12-06T03:00:00.000Z","event":"crash_loop","pid":9,"name":"x","cmdline":[],"ppid":1,"uid":null,"user":null,"restarts":3,"window_s":60,"last_outcome":"exited","last_exit_code":1,"last_signal":null,"pids":[7,8,9]}' >"$corpus/loop"
        printf '%s' '{"schema":"swtop-event/1","time":"2026-12-06T04:00:00+01:00","event":"lost","count":2,"cause":"journal"}' >"$corpus/lost"
        printf '%s' '{"schema":"swtop-event/1","time":"20' >"$corpus/torn"
        printf '%s' 'events-2026-12-06.jsonl' >"$corpus/name"
        ;;
    config)
        # What swtop writes, and a file a person edited.
        printf '# swtop settings\ncolumns=pid,user,cpu,command\nsort_key=cpu\nsort_inverted=0\ntree_view=1\nhide_kernel_threads=1\nhide_userland_threads=0\nhighlight_changes=1\nhighlight_seconds=3\ndelay=15\ncolor=1\n' >"$corpus/saved"
        printf '# mine\r\n  delay = 5\r\n\ncolumns=rss, pid\ncolour=1\nbad line\ntree_view=yes' >"$corpus/edited"
        ;;
    command-line)
        # argv as the kernel passes it: NUL-separated words.
        printf '%s\0' signal -s TERM -- -2147483648 >"$corpus/kill-s"
        printf '%s\0' renice -n -5 -p 123 123 >"$corpus/renice-n"
        printf '%s\0' stop --grace -1 --readonly 4194304 >"$corpus/stop"
        printf '%s\0' --once -p 99999999999999999999,1 -u -1 --interval -1e308 >"$corpus/once"
        printf '%s\0' signal RTMIN+2147483647 -9 -0 >"$corpus/signals"
        ;;
    schedstat)
        # No recorded schedstat in the fixtures: the three shapes the kernel writes.
        printf '123456789 2345678 42\n' >"$corpus/running"
        printf '0 0 0\n' >"$corpus/no-schedstats"
        printf '18446744073709551615 18446744073709551615 18446744073709551615\n' >"$corpus/max"
        ;;
    esac
}

# Build (skipped when the binary is newer than every source it is made of).
for t in $targets; do
    bin=$out/$t
    extra=()
    if [[ $t == config ]]; then
        srcs=("${config_sources[@]}")
    elif [[ $t == command-line ]]; then
        srcs=("${command_line_sources[@]}")
    elif [[ $t == journal-line ]]; then
        mkdir -p "$journal_dir"
        # Rewritten only when the source changed, so the skip below still works.
        if [[ ! -e $journal_dir/DayFile.swift || Sources/Journal/DayFile.swift -nt $journal_dir/DayFile.swift ]]; then
            sed '/^import ProcFS$/d' Sources/Journal/DayFile.swift >"$journal_dir/DayFile.swift"
        fi
        srcs=("${journal_sources[@]}")
    elif [[ $t == table ]]; then
        srcs=(Sources/ProcFS/*.swift Sources/ProcessModel/*.swift Sources/ProcessModel/Columns/*.swift Sources/OutputFormats/PlainTable.swift Fuzz/Sink.swift)
        extra=(-I Sources/CLinux)
    else
        srcs=("${sources[@]}")
    fi
    if [[ -x $bin && -z $(find "${srcs[@]}" "Fuzz/${entry[$t]}.swift" -newer "$bin") ]]; then
        continue
    fi
    echo "building $t" >&2
    if [[ $t == table ]]; then
        table_sources
        srcs=("$table_dir"/*.swift Fuzz/Sink.swift)
    fi

    flock /tmp/swtop-build.lock swiftc -sanitize=fuzzer,address -parse-as-library -O -g \
        -swift-version 6 -use-ld=lld -module-name ProcFSFuzz "${extra[@]}" \
        "${srcs[@]}" "Fuzz/${entry[$t]}.swift" -o "$bin"
done

corpora=$(mktemp -d "${TMPDIR:-/tmp}/swtop-fuzz.XXXXXX")
trap 'rm -rf "$corpora"' EXIT

failed=0
total=0
printf '%-12s %12s %8s %7s  %s\n' target executions exec/s seeds result
for t in $targets; do
    corpus=$corpora/$t
    mkdir -p "$corpus"
    seed_target "$t" "$corpus"
    nseeds=$(find "$corpus" -type f | wc -l)
    log=$out/logs/$t.log
    rc=0
    # -timeout: an input taking 10 s is a hang, reported like a crash.
    nice -n 19 "$out/$t" "$corpus" -max_total_time="$seconds" -print_final_stats=1 -timeout=10 \
        -max_len="$max_len" -artifact_prefix="$out/artifacts/$t-" >"$log" 2>&1 || rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
    if ((rc == 0)); then
        result=ok
    else
        failed=1
        artifact=$(sed -n 's/.*Test unit written to //p' "$log" | tail -n 1)
        result="CRASHED (exit $rc) ${artifact:-no artifact}; see $log"
    fi
    total=$((total + ${execs:-0}))
    printf '%-12s %12s %8s %7s  %s\n' "$t" "${execs:-?}" "${rate:-?}" "$nseeds" "$result"
done
printf '%-12s %12s\n' total "$total"
exit "$failed"
