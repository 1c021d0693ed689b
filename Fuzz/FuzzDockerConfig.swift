/// Docker's config.v2.json (root-owned, but a replayed or tampered file is untrusted): never a trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDockerConfig(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    consume(DockerConfig.name(fuzzBytes(data, size)) ?? "")
    return 0
}
