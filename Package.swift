// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "swtop",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "swtop", targets: ["swtop"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0")
    ],
    targets: [
        // Bytes of /proc files -> typed values, and the one reader that touches the file system.
        .target(name: "ProcFS"),
        // Snapshots -> what a user asks about: tree, states, CPU%, sort, filter, JSON, table.
        .target(name: "ProcessModel", dependencies: ["ProcFS"]),
        // Linux calls Swift cannot reach from Glibc (ioctl, pidfd, prlimit); a header only.
        .systemLibrary(name: "CLinux"),
        // ncursesw, the C library: module map and shim header only.
        .systemLibrary(name: "CNcursesw", providers: [.apt(["libncurses-dev"])]),
        // The interactive screen: view state, key map and layout in plain Swift rendering into a
        // text grid; Terminal.swift alone puts the grid on ncurses.
        .target(name: "SwtopUI", dependencies: ["ProcFS", "ProcessModel", "CNcursesw"]),
        // The executable: argument parsing and wiring.
        .executableTarget(
            name: "swtop",
            dependencies: [
                "ProcFS", "ProcessModel", "CLinux", "SwtopUI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "ProcFSTests", dependencies: ["ProcFS"]),
        .testTarget(name: "ProcessModelTests", dependencies: ["ProcessModel", "ProcFS"]),
        .testTarget(name: "SwtopCLITests", dependencies: ["ProcFS"]),
        .testTarget(name: "SwtopUITests", dependencies: ["SwtopUI", "ProcessModel", "ProcFS"]),
        // Runs the built binary in tmux; needs `swift build` first (swift test does it).
        .testTarget(name: "SwtopScreenTests"),
    ]
)
