import ProcFS
import ProcessModel
@testable import SwtopUI

/// A process as the model builds it from /proc, with the fields a test cares about.
func makeProcess(
    pid: Int32, ppid: Int32 = 1, name: String = "sleep", args: [String]? = nil, state: Character = "S",
    user: String = "alice", uid: UInt32 = 1000, utime: UInt64 = 0, startTicks: UInt64 = 100,
    vszKB: UInt64 = 10_000, rssKB: UInt64 = 2048, threads: Int32 = 1, priority: Int32 = 20, nice: Int32 = 0,
    cpu: Double? = 0, mem: Double? = 0, kernel: Bool = false, tid: Int32? = nil
) -> ProcessEntry {
    let stat = ProcStat(
        pid: tid ?? pid, comm: Array(name.utf8), state: UInt8(ascii: state.unicodeScalars.first ?? "S"), ppid: ppid,
        pgrp: pid, session: pid, ttyNr: 0, flags: kernel ? ProcStat.kernelThreadFlag : 0, utime: utime, stime: 0,
        priority: priority, nice: nice, numThreads: threads, startTime: startTicks, vsize: vszKB * 1024,
        rss: Int64(rssKB / 4))
    let cmdline: [[UInt8]] = kernel ? [] : (args ?? [name]).map { Array($0.utf8) }
    let raw = RawProcess(
        stat: stat, pid: pid, tid: tid, statm: ProcStatm(size: vszKB / 4, resident: rssKB / 4, shared: 0),
        status: ProcStatus(uids: [uid, uid, uid, uid]), cmdline: cmdline)
    var entry = ProcessEntry(raw: raw, pageSizeKB: 4)
    entry.user = user
    entry.cpuPercent = cpu
    entry.memPercent = mem
    return entry
}

func makeSnapshot(_ processes: [ProcessEntry], cpus: Int = 2) -> Snapshot {
    let system = SystemInfo(
        hostname: "test", uptime: Uptime(seconds: 3 * 86400 + 4 * 3600 + 5 * 60 + 6, idleSeconds: 0),
        load: LoadAverage(one: 0.52, five: 0.58, fifteen: 0.59), cpuTimes: nil,
        memory: Meminfo(memTotal: 8_000_000, memFree: 2_000_000, memAvailable: 6_000_000, buffers: 0, cached: 4_000_000, sReclaimable: 0, shmem: 0, swapTotal: 0, swapFree: 0),
        cpus: cpus)
    return Snapshot(time: 0, monotonic: 0, system: system, processes: processes, clockTicksPerSecond: 100)
}

/// A state with these processes loaded, as after the first sample.
func makeState(_ processes: [ProcessEntry], options: ScreenOptions = ScreenOptions(), now: Double = 0) -> ViewState {
    var state = ViewState(options)
    state.setListHeight(10)
    state.update(makeSnapshot(processes), now: now, baseline: true)
    return state
}

extension ViewState {
    /// Sends characters as typed keys.
    mutating func type(_ text: String) {
        for s in text.unicodeScalars { _ = handle(.character(s)) }
    }

    var selectedPID: Int32? { selectedRow?.entry.pid }
    var pidsInOrder: [Int32] { rows.map(\.entry.pid) }
}
