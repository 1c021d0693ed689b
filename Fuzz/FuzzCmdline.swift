/// /proc/PID/cmdline: any bytes give a list of arguments, never a trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCmdline(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    let args = ProcCmdline.parse(bytes)
    // Nothing is lost or invented: the arguments joined by NUL are the input less one trailing NUL.
    let expected = bytes.last == 0 ? bytes[..<(size - 1)] : bytes[...]
    precondition(size == 0 ? args.isEmpty : Array(args.joined(separator: [0])).elementsEqual(expected),
        "arguments do not join back into the input")
    for arg in args { consume(arg) }
    return 0
}
