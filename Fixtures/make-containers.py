#!/usr/bin/env python3
"""Writes Fixtures/proc/containers: a proc root whose processes sit in the cgroups of each runtime
swtop recognises, as the kernel writes /proc/PID/cgroup on a pure cgroup v2 machine (pids 10-22)
and on v1 and hybrid ones (pids 30-37), plus io, oom_score, oom_score_adj and NSpid.

The cgroup lines are the shapes the runtimes make (docker, podman, containerd and CRI-O under
Kubernetes, LXC, systemd-nspawn, systemd units); the tests pin the exact values written here.
"""
import importlib.util, os, shutil

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "proc", "containers")
spec = importlib.util.spec_from_file_location("hardcases", os.path.join(HERE, "make-hardcases.py"))
hc = importlib.util.module_from_spec(spec)
spec.loader.exec_module(hc)

DOCKER = "3f4e8a1c2b9d0e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f"
PODMAN = "9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b"
CONTAINERD = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
CRIO = "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210"
KUBE_CGROUPFS = "aaaabbbbccccddddeeeeffff0000111122223333444455556666777788889999"
POD = "1b2c3d4e-5f60-7182-93a4-b5c6d7e8f901"
POD_ = POD.replace("-", "_")

V1_CONTROLLERS = ["12:pids", "11:memory", "10:cpu,cpuacct", "9:blkio", "8:devices", "7:freezer",
                  "6:net_cls,net_prio", "5:perf_event", "4:hugetlb", "3:cpuset", "2:rdma"]


def v2(path):
    return b"0::" + path + b"\n"


def hybrid(path, controllers=None, unified=None):
    """A hybrid (systemd's default before v2): v1 controllers, name=systemd, and the v2 line."""
    lines = [f"{c}:".encode() + (controllers if controllers is not None else path) for c in V1_CONTROLLERS]
    lines.append(b"1:name=systemd:" + path)
    lines.append(b"0::" + (unified if unified is not None else path))
    return b"\n".join(lines) + b"\n"


def status(name, pid, ppid, nspids, uid=0, state="S (sleeping)"):
    ns = "\t".join(str(n) for n in nspids)
    return (f"Name:\t{name}\nUmask:\t0022\nState:\t{state}\nTgid:\t{pid}\nNgid:\t0\nPid:\t{pid}\nPPid:\t{ppid}\n"
            f"TracerPid:\t0\nUid:\t{uid}\t{uid}\t{uid}\t{uid}\nGid:\t{uid}\t{uid}\t{uid}\t{uid}\n"
            f"FDSize:\t64\nGroups:\t\nNStgid:\t{ns}\nNSpid:\t{ns}\nNSpgid:\t{ns}\nNSsid:\t{ns}\n"
            f"VmSize:\t    8192 kB\nVmRSS:\t     400 kB\nThreads:\t1\nVmSwap:\t       0 kB\n").encode()


def io(read, write):
    return (f"rchar: {read * 3}\nwchar: {write * 2}\nsyscr: 100\nsyscw: 50\nread_bytes: {read}\n"
            f"write_bytes: {write}\ncancelled_write_bytes: 0\n").encode()


def proc(pid, comm, cgroup, ppid=1, nspids=None, state="S", extra=None):
    files = {
        "stat": hc.stat(pid, comm.encode(), state=state, ppid=ppid),
        "status": status(comm, pid, ppid, nspids or [pid],
                         state="Z (zombie)" if state == "Z" else "S (sleeping)"),
        "cmdline": b"" if state == "Z" else comm.encode() + b"\0",
        "oom_score": f"{pid * 10}\n".encode(),
        "oom_score_adj": b"0\n",
    }
    if cgroup is not None:
        files["cgroup"] = cgroup
    files.update(extra or {})
    hc.ROOT = ROOT
    hc.proc(pid, files)


def main():
    shutil.rmtree(ROOT, ignore_errors=True)
    os.makedirs(ROOT)
    w = lambda name, data: open(os.path.join(ROOT, name), "wb").write(data)
    w("stat", b"cpu  1000 20 300 50000 40 0 10 0 0 0\ncpu0 1000 20 300 50000 40 0 10 0 0 0\n"
              b"intr 0\nctxt 12345\nbtime 1700000000\nprocesses 50\nprocs_running 1\nprocs_blocked 0\n")
    w("meminfo", b"MemTotal:        1000000 kB\nMemFree:          200000 kB\nMemAvailable:     600000 kB\n"
                 b"SwapTotal:             0 kB\nSwapFree:              0 kB\n")
    w("loadavg", b"0.10 0.20 0.30 1/50 99\n")
    w("uptime", b"1000.00 900.00\n")
    os.makedirs(os.path.join(ROOT, "sys", "kernel"))
    w("sys/kernel/hostname", b"containers\n")

    proc(1, "systemd", v2(b"/init.scope"), ppid=0)
    # Pure cgroup v2.
    proc(10, "nginx", v2(b"/system.slice/nginx.service"),
         extra={"io": io(4096, 1048576), "oom_score_adj": b"-500\n"})
    proc(11, "node", v2(f"/system.slice/docker-{DOCKER}.scope".encode()), nspids=[11, 1])
    proc(12, "postgres", v2(f"/machine.slice/libpod-{PODMAN}.scope/container".encode()), nspids=[12, 1])
    proc(13, "pause", v2(f"/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod{POD_}.slice/"
                         f"cri-containerd-{CONTAINERD}.scope".encode()), nspids=[13, 1])
    proc(14, "coredns", v2(f"/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod{POD_}.slice/"
                           f"crio-{CRIO}.scope".encode()), nspids=[14, 1])
    proc(15, "cron", v2(b"/lxc.payload.web01/system.slice/cron.service"), nspids=[15, 230])
    proc(16, "sshd", v2(b"/machine.slice/machine-db\\x2dtest.scope/payload/system.slice/ssh.service"),
         nspids=[16, 41])
    proc(17, "pipewire", v2(b"/user.slice/user-1000.slice/user@1000.service/session.slice/pipewire.service"))
    proc(18, "bash", v2(b"/user.slice/user-1000.slice/session-3.scope"))
    # A cgroup name holding an escape sequence and invalid UTF-8: shown escaped, never trusted.
    proc(19, "odd", v2(b"/system.slice/ev\x1b[31mil\xff.service"))
    # The zombie child of the docker container's PID 1 (node, which does not reap).
    proc(20, "worker", v2(f"/system.slice/docker-{DOCKER}.scope".encode()), ppid=11, nspids=[20, 7], state="Z")
    proc(21, "nocgroup", None)
    proc(22, "emptycgroup", b"")
    # cgroup v1 and hybrid.
    proc(30, "redis", hybrid(f"/system.slice/docker-{DOCKER[:60]}beef.scope".encode()))
    proc(31, "mysqld", hybrid(f"/docker/{DOCKER}".encode(), unified=b"/"))
    # A v1 host without systemd (Docker's cgroupfs driver): no name=systemd line.
    proc(32, "alpine", b"".join(f"{c}:/docker/{DOCKER}\n".encode() for c in V1_CONTROLLERS) + b"0::/\n")
    proc(33, "kube-proxy", hybrid(f"/kubepods/burstable/pod{POD}/{KUBE_CGROUPFS}".encode()))
    # This machine's shape: name=systemd holds the unit, a controller holds something else.
    proc(34, "testee", hybrid(b"/system.slice/swtop-test.service", controllers=b"/", unified=b"/"))
    proc(35, "lxc-init", hybrid(b"/lxc/web02"))
    proc(36, "getty", hybrid(b"/system.slice/system-getty.slice/getty@tty1.service"))
    proc(37, "rootonly", hybrid(b"/"))


if __name__ == "__main__":
    main()
