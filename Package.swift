// swift-tools-version:6.0
import PackageDescription

#if os(Linux)
import Glibc
#endif

// The release link is arranged for a small peak RSS (docs/performance.md); lld ships with the
// Swift toolchain.
// - The code the screen runs sits side by side (Linker/hot-functions.order, written by
//   Scripts/hot-functions.sh), so it maps a few adjacent pages of code instead of pages
//   scattered over the whole binary; so do the protocol conformance descriptors in .rodata.
// - libstdc++ and the unwinder, which only the Swift runtime uses, are linked statically (see the
//   linker scripts in Linker/static-cxx-runtime), where their static archives are installed
//   (Debian: libstdc++-12-dev; Fedora and RHEL: libstdc++-static): the loader no longer maps and
//   relocates their shared libraries.
// - No symbol of the executable is exported (the static stdlib's link exports them all): the
//   loader no longer reads 3,000 symbols' tables, and nothing looks them up.
// - Every symbol is bound at start (-z now, as with full RELRO): code first run later, after
//   start-up's pages were given back (StartupPages), does not bring the loader's code and the
//   libraries' symbol tables back into memory to bind it.
// - Segments are aligned to 64 KB (-z max-page-size=65536), so the kernel loads the binary at a
//   64 KB boundary: the 64 KB blocks it maps code in (fault-around) then fall at the same places
//   in the code at every start, and the order file's hot code fills whole blocks; at a random
//   4 KB offset, the same binary's RSS varied by 0.3 MB from run to run.
// - .rodata stays read-only (Linker/writable-rodata.ld moves the few sections the Swift runtime's
//   libraries mark writable beside .data), so StartupPages can give back what start-up read of it.
// - Relative relocations are packed (RELR) instead of 38,000 24-byte entries the loader reads at
//   every start. The binary then needs glibc 2.36, so only where the build machine has it, and
//   not with SWTOP_NO_RELR=1 (for a binary that must also run on glibc 2.35, Ubuntu 22.04).
//
// The ordinary link is used instead, with every flag above left out, with SWTOP_PLAIN_LINK=1 or
// where lld cannot be found: a release build then still builds, only with a larger peak RSS. CI
// builds both ways.
var releaseLinkerFlags: [String] = []
#if os(Linux)
/// The directories where clang, which links for swiftc, looks for ld.lld: the toolchain's bin
/// directory (that of swift-build, which runs this manifest: its parent process) and PATH.
func linkerDirectories() -> [String] {
    var directories: [String] = []
    var exe = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    let n = readlink("/proc/\(getppid())/exe", &exe, exe.count - 1)
    if n > 0 {
        let path = String(decoding: exe[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        directories.append(String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)]))
    }
    directories += (Context.environment["PATH"] ?? "").split(separator: ":").map(String.init)
    return directories
}
let lldFound = linkerDirectories().contains { access($0 + "/ld.lld", X_OK) == 0 }

/// Whether a file matching a shell pattern exists.
func exists(matching pattern: String) -> Bool {
    var found = glob_t()
    defer { globfree(&found) }
    return glob(pattern, 0, nil, &found) == 0 && found.gl_pathc > 0
}

// confstr gives "glibc 2.36".
var glibcName = [CChar](repeating: 0, count: 64)
_ = confstr(Int32(_CS_GNU_LIBC_VERSION), &glibcName, glibcName.count)
let glibc = String(decoding: glibcName.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    .split(whereSeparator: { $0 == " " || $0 == "." }).compactMap { Int($0) }

if Context.environment["SWTOP_PLAIN_LINK"] == nil, lldFound {
    releaseLinkerFlags = [
        "-use-ld=lld",
        "-Xlinker", "--symbol-ordering-file=\(Context.packageDirectory)/Linker/hot-functions.order",
        "-Xlinker", "--no-warn-symbol-ordering",
        "-Xlinker", "--no-export-dynamic",
        "-Xlinker", "-z", "-Xlinker", "now",
        "-Xlinker", "-z", "-Xlinker", "max-page-size=65536",
        "-Xlinker", "-T", "-Xlinker", "\(Context.packageDirectory)/Linker/writable-rodata.ld",
    ]
    if exists(matching: "/usr/lib/gcc/*/*/libstdc++.a"), exists(matching: "/usr/lib/gcc/*/*/libgcc_eh.a") {
        releaseLinkerFlags += ["-L\(Context.packageDirectory)/Linker/static-cxx-runtime"]
    }
    if glibc.count >= 2, !glibc.lexicographicallyPrecedes([2, 36]), Context.environment["SWTOP_NO_RELR"] == nil {
        releaseLinkerFlags += ["-Xlinker", "-z", "-Xlinker", "pack-relative-relocs"]
    }
}
#endif
let releaseLinkerSettings: [LinkerSetting] = [.unsafeFlags(releaseLinkerFlags, .when(configuration: .release))]

let package = Package(
    name: "swtop",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "swtop", targets: ["swtop"]),
        // `swtop export --listen` runs it: the HTTP server (SwiftNIO) stays out of swtop.
        .executable(name: "swtop-exporter", targets: ["swtop-exporter"]),
        // `swtop run` execs it: a container's init and a supervisor, without ncursesw or
        // swift-argument-parser, so it starts in an image with nothing but glibc.
        .executable(name: "swtop-run", targets: ["swtop-run"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.7.0"),
        // swtop-exporter's HTTP server only (NIOHTTP1; it does not import Foundation).
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        // Bytes of /proc files -> typed values, and the one reader that touches the file system.
        .target(name: "ProcFS", dependencies: ["CLinux"]),
        // The values a user asks about: snapshots, entries, the tree, states, filter, sort and the
        // one table of columns.
        .target(name: "ProcessModel", dependencies: ["ProcFS"]),
        // The engine that reads snapshots: one-shot (two threads) and live (kept files).
        .target(name: "Sampling", dependencies: ["ProcFS", "ProcessModel"]),
        // What --once and the commands print: JSON, the plain table, the limits table.
        .target(name: "OutputFormats", dependencies: ["ProcFS", "ProcessModel", "Lifecycle"]),
        // Linux calls Swift cannot reach from Glibc (ioctl, pidfd, prlimit); a header only.
        .systemLibrary(name: "CLinux"),
        // Acting on a process: pidfd signals, graceful stop, renice, rlimits. The only code that
        // signals or changes a process.
        .target(name: "ProcessControl", dependencies: ["ProcFS", "CLinux"]),
        // What happens to processes: how each ended (exit code, signal, core, OOM kill), zombies,
        // orphans, crash loops; from the proc connector, pidfds and zombies' stat.
        .target(name: "Lifecycle", dependencies: ["ProcFS", "ProcessModel", "ProcessControl", "CLinux"]),
        // The event journal: `swtop events --record` writes it, `--since` reads it back, days are
        // retained. What a recorder links: never the screen.
        .target(name: "Journal", dependencies: ["ProcFS", "ProcessModel", "ProcessControl", "Lifecycle", "OutputFormats"]),
        // ncursesw, the C library: module map and shim header only.
        .systemLibrary(name: "CNcursesw", providers: [.apt(["libncurses-dev"])]),
        // The interactive screen: view state, key map and layout in plain Swift rendering into a
        // text grid; Terminal.swift alone puts the grid on ncurses.
        // Process control from the screen goes through ProcessControl only.
        .target(name: "SwtopUI", dependencies: ["ProcFS", "ProcessModel", "Sampling", "OutputFormats", "ProcessControl", "Lifecycle", "Journal", "StartupMemory", "CNcursesw"]),
        // swtop's own memory: gives back the pages only start-up used (docs/performance.md).
        .target(name: "StartupMemory", dependencies: ["CLinux"]),
        // /proc -> Prometheus metrics of process groups: the exposition, built once for stdout,
        // the textfile and the HTTP endpoint.
        .target(name: "PrometheusExport", dependencies: ["ProcFS", "ProcessModel", "Sampling", "Lifecycle"]),
        // `swtop export`'s options (shared with swtop-exporter) and what it does.
        .target(name: "ExportOptions", dependencies: ["PrometheusExport", "ProcFS", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        // The HTTP endpoint of `swtop export --listen`.
        .executableTarget(
            name: "swtop-exporter",
            dependencies: [
                "ProcFS", "PrometheusExport", "ExportOptions", "StartupMemory",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            linkerSettings: releaseLinkerSettings
        ),
        // `swtop run`: a container's init and a supervisor (reaping, signals, restarts with
        // back-off, health checks, swtop-event/1 lines). Never the screen's code: it must start
        // where ncursesw is absent.
        .target(name: "Supervisor", dependencies: ["ProcFS", "ProcessModel", "ProcessControl", "Lifecycle", "OutputFormats", "StartupMemory", "CLinux"]),
        .executableTarget(name: "swtop-run", dependencies: ["Supervisor"], linkerSettings: releaseLinkerSettings),
        // The executable: argument parsing and wiring.
        .executableTarget(
            name: "swtop",
            dependencies: [
                "ProcFS", "ProcessModel", "Sampling", "OutputFormats", "ProcessControl", "CLinux", "SwtopUI", "Lifecycle",
                "PrometheusExport", "ExportOptions", "Journal",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            linkerSettings: releaseLinkerSettings
        ),
        // Fixture paths, the built binary and child processes, for the tests only.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "ProcFSTests", dependencies: ["ProcFS", "TestSupport"]),
        .testTarget(name: "ProcessModelTests", dependencies: ["ProcessModel", "ProcFS", "Sampling", "OutputFormats", "TestSupport"]),
        // A child with known signal behaviour, for the process-control tests.
        .executableTarget(name: "swtop-testee", dependencies: ["StartupMemory", "CTestee"], path: "Tests/Testee"),
        // vfork for swtop-testee (a header: Swift cannot call a function that returns twice).
        .systemLibrary(name: "CTestee", path: "Tests/CTestee"),
        .testTarget(name: "LifecycleTests", dependencies: ["Lifecycle", "ProcFS", "TestSupport"]),
        .testTarget(name: "JournalTests", dependencies: ["Journal", "Lifecycle", "OutputFormats", "ProcFS", "ProcessModel", "TestSupport"]),
        .testTarget(name: "ProcessControlTests", dependencies: ["ProcessControl", "ProcFS", "TestSupport"]),
        .testTarget(name: "SwtopCLITests", dependencies: ["swtop", "TestSupport"]),
        // swtop run against real children, and against tini where tini has the feature.
        .testTarget(name: "SupervisorTests", dependencies: ["Supervisor", "Lifecycle", "TestSupport", "swtop", "swtop-run"]),
        .testTarget(name: "StartupMemoryTests", dependencies: ["StartupMemory", "TestSupport"]),
        .testTarget(name: "SwtopUITests", dependencies: ["SwtopUI", "ProcessModel", "Sampling", "ProcessControl", "ProcFS", "Lifecycle", "Journal", "TestSupport"]),
        // Runs the built binary in tmux; needs `swift build` first (swift test does it).
        .testTarget(name: "SwtopScreenTests"),
        // The exposition, promtool, node_exporter and Prometheus against swtop export.
        .testTarget(name: "ExportTests", dependencies: ["PrometheusExport", "ProcFS", "TestSupport", "swtop", "swtop-exporter"]),
    ]
)

// Each function of swtop's own code in a section of its own (release builds), so that the order
// file moves the functions the screen runs, not whole files of which they are a part
// (docs/performance.md#the-screen).
for target in package.targets where target.type == .regular || target.type == .executable {
    target.swiftSettings = (target.swiftSettings ?? []) + [
        .unsafeFlags(["-Xfrontend", "-function-sections"], .when(configuration: .release)),
    ]
}
