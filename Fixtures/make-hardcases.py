#!/usr/bin/env python3
"""Writes Fixtures/proc/hardcases: a hand-made proc root of the cases a /proc parser gets wrong.

Run it again after changing a case; the tests pin the exact values written here.
"""
import os, shutil, sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "proc", "hardcases")

def stat(pid, comm, state="S", ppid=1, pgrp=None, sid=None, tty=0, flags=0x400000, utime=0, stime=0,
         prio=20, nice=0, nthr=1, start=1000, vsize=8192 * 1024, rss=100, processor=1, exit_code=0, nfields=52):
    pgrp = pid if pgrp is None else pgrp
    sid = pid if sid is None else sid
    # Fields 1..52 per man 5 proc; 2 (comm) is bytes.
    f = {1: pid, 3: state, 4: ppid, 5: pgrp, 6: sid, 7: tty, 8: -1, 9: flags, 10: 11, 11: 0, 12: 0, 13: 0,
         14: utime, 15: stime, 16: 0, 17: 0, 18: prio, 19: nice, 20: nthr, 21: 0, 22: start, 23: vsize,
         24: rss, 25: 18446744073709551615, 39: processor, 52: exit_code}
    parts = []
    for n in range(3, max(nfields, 3) + 1):
        parts.append(str(f.get(n, 0)))
    return str(pid).encode() + b" (" + comm + b") " + " ".join(parts).encode() + b"\n"

def statm(size=2048, resident=100, shared=50):
    return f"{size} {resident} {shared} 10 0 300 0\n".encode()

def status(name, pid, ppid, uid=0, threads=1, state="S (sleeping)"):
    return (f"Name:\t{name}\nUmask:\t0022\nState:\t{state}\nTgid:\t{pid}\nNgid:\t0\nPid:\t{pid}\nPPid:\t{ppid}\n"
            f"TracerPid:\t0\nUid:\t{uid}\t{uid}\t{uid}\t{uid}\nGid:\t{uid}\t{uid}\t{uid}\t{uid}\n"
            f"Threads:\t{threads}\nVmSwap:\t       0 kB\n").encode()

LIMITS = b"""Limit                     Soft Limit           Hard Limit           Units     
Max cpu time              unlimited            unlimited            seconds   
Max file size             unlimited            unlimited            bytes     
Max data size             unlimited            unlimited            bytes     
Max stack size            8388608              unlimited            bytes     
Max core file size        0                    unlimited            bytes     
Max resident set          unlimited            unlimited            bytes     
Max processes             95340                95340                processes 
Max open files            1024                 524288               files     
Max locked memory         8388608              8388608              bytes     
Max address space         unlimited            unlimited            bytes     
Max file locks            unlimited            unlimited            locks     
Max pending signals       95340                95340                signals   
Max msgqueue size         819200               819200               bytes     
Max nice priority         0                    0                    
Max realtime priority     0                    0                    
Max realtime timeout      unlimited            unlimited            us        
"""

def proc(pid, files, tasks=None):
    d = os.path.join(ROOT, str(pid))
    os.makedirs(d)
    for name, data in files.items():
        if data is not None:
            open(os.path.join(d, name), "wb").write(data)
    for tid, tfiles in (tasks or {}).items():
        td = os.path.join(d, "task", str(tid))
        os.makedirs(td)
        for name, data in tfiles.items():
            open(os.path.join(td, name), "wb").write(data)

def normal(pid, comm, ppid=1, cmdline=None, **kw):
    return {"stat": stat(pid, comm, ppid=ppid, **kw), "statm": statm(), "status": status("x", pid, ppid),
            "cmdline": cmdline if cmdline is not None else comm + b"\0"}

def main():
    shutil.rmtree(ROOT, ignore_errors=True)
    os.makedirs(ROOT)
    w = lambda name, data: open(os.path.join(ROOT, name), "wb").write(data)
    w("stat", b"cpu  1000 20 300 50000 40 0 10 0 0 0\ncpu0 600 10 200 25000 20 0 5 0 0 0\n"
              b"cpu1 400 10 100 25000 20 0 5 0 0 0\nintr 0\nctxt 12345\nbtime 1700000000\n"
              b"processes 5000\nprocs_running 2\nprocs_blocked 1\n")
    w("meminfo", b"MemTotal:        1000000 kB\nMemFree:          200000 kB\nMemAvailable:     600000 kB\n"
                 b"Buffers:           10000 kB\nCached:           300000 kB\nSwapTotal:        500000 kB\n"
                 b"SwapFree:         400000 kB\n")
    w("loadavg", b"0.52 1.25 2.00 2/345 12345\n")
    w("uptime", b"3725.50 7000.00\n")
    os.makedirs(os.path.join(ROOT, "sys", "kernel"))
    w("sys/kernel/hostname", b"fixture-host\n")

    # init, a root, with limits.
    p1 = normal(1, b"init", ppid=0, cmdline=b"/sbin/init\0splash\0", pgrp=1, sid=1, utime=150, stime=50, start=5)
    p1["limits"] = LIMITS
    proc(1, p1)
    # kthreadd and kernel threads: empty cmdline, zero memory, PF_KTHREAD.
    proc(2, {"stat": stat(2, b"kthreadd", ppid=0, flags=0x208040, vsize=0, rss=0, pgrp=0, sid=0),
             "statm": b"0 0 0 0 0 0 0\n", "status": status("kthreadd", 2, 0), "cmdline": b""})
    kw64 = b"kworker/u16:2-events_unbound_with_a_name_that_is_64_bytes_long!"
    assert len(kw64) == 63
    kw64 += b"x"
    proc(108, {"stat": stat(108, kw64, state="I", ppid=2, flags=0x4208060, vsize=0, rss=0, pgrp=0, sid=0, prio=0, nice=-20),
               "statm": b"0 0 0 0 0 0 0\n", "status": status("kworker/u16:2-events_unbound", 108, 2), "cmdline": b""})

    proc(100, normal(100, b") R 1 2 (", cmdline=b"/usr/bin/evil\0") )
    proc(101, normal(101, b"a b  c", cmdline=b"a b  c\0--flag\0"))
    proc(102, normal(102, b"line1\nline2", cmdline=b"printf\0a\nb\0"))
    proc(103, normal(103, b"(", cmdline=b"(\0"))
    proc(104, normal(104, b")", cmdline=b")\0"))
    proc(105, normal(105, b"", cmdline=b""))
    proc(106, normal(106, b"bad\xff\xfeutf8", cmdline=b"bad\xffarg\0"))
    proc(107, normal(107, b"\x1b]0;pwned\x07", cmdline=b"\x1b[2J\x1b[31mred\0"))
    # A zombie and its parent: empty cmdline, zero memory, exit status 3 (768).
    proc(110, normal(110, b"parent", cmdline=b"parent\0"))
    proc(109, {"stat": stat(109, b"defunct-kid", state="Z", ppid=110, vsize=0, rss=0, exit_code=768),
               "statm": b"0 0 0 0 0 0 0\n", "status": status("defunct-kid", 109, 110, state="Z (zombie)"), "cmdline": b""})
    # Unparseable stat files: skipped.
    full = stat(111, b"truncated")
    proc(111, {"stat": full[:40], "statm": statm(), "status": status("truncated", 111, 1), "cmdline": b"t\0"})
    proc(112, {"stat": b"", "statm": statm(), "status": status("empty", 112, 1), "cmdline": b"e\0"})
    # stat parses, statm and status missing: reported with nulls.
    proc(113, {"stat": stat(113, b"nostatus", uid := None) if False else stat(113, b"nostatus"), "cmdline": b"nostatus\0"})
    # cmdline without its trailing NUL (a process rewrote it), and one of 256 KB.
    proc(114, normal(114, b"rewritten", cmdline=b"nginx: worker process\0extra"))
    big = (b"A" * 1023 + b"\0") * 256
    assert len(big) == 256 * 1024
    proc(115, normal(115, b"bigargs", cmdline=big))
    # Older kernel (2.6.32: 44 fields) and a newer one with 3 more fields than today's 52.
    proc(116, normal(116, b"oldkernel", nfields=44, processor=0))
    proc(117, normal(117, b"newkernel", nfields=55))
    # Stopped, and a ppid cycle (119 <-> 120): both still appear exactly once.
    proc(118, normal(118, b"stopped", state="T"))
    proc(119, normal(119, b"cycle-a", ppid=120))
    proc(120, normal(120, b"cycle-b", ppid=119))
    # A process with two threads, one running; the thread has its own name and nice.
    p121 = normal(121, b"threaded", nthr=2, utime=500, stime=100)
    p121["status"] = status("threaded", 121, 1, uid=1000, threads=2)
    proc(121, p121, tasks={
        121: {"stat": stat(121, b"threaded", nthr=2, utime=300, stime=60), "statm": statm(), "status": status("threaded", 121, 1, uid=1000, threads=2)},
        122: {"stat": stat(122, b"worker-1", state="R", nthr=2, utime=200, stime=40, nice=5, pgrp=121, sid=121), "statm": statm(), "status": status("worker-1", 121, 1, uid=1000, threads=2)},
    })
    # Not processes: a non-numeric directory and a file.
    os.makedirs(os.path.join(ROOT, "12ab"))
    os.makedirs(os.path.join(ROOT, "notapid"))

if __name__ == "__main__":
    main()
