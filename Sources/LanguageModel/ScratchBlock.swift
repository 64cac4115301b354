#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Memory for the buffers of one forward call: mapped from the system when it is large, so that it
/// goes back the moment the call ends.
///
/// glibc's malloc serves blocks below its mmap threshold from arenas that keep what is freed, and
/// it raises that threshold to the largest block freed so far (up to 32 MB), and the free space it
/// keeps at an arena's top to twice that. So a prompt's chunk buffers, once freed, stayed resident
/// through the decoding that followed while the key/value cache filled up (about 2 MB of the peak
/// of `rag bench llm`). Mapping them costs a page fault per 4 KB the chunk touches: about a
/// millisecond for a 256-token chunk, which computes for hundreds.
final class ScratchBlock {
    /// At least 64-byte aligned.
    let floats: UnsafeMutablePointer<Float>
    private let byteCount: Int
    private let mapped: Bool

    /// Blocks from this size on are mapped; smaller ones (a decoding step's) come from malloc.
    static let smallestMapped = 256 * 1024

    init(byteCount: Int) {
        self.byteCount = max(byteCount, 64)
        var address: UnsafeMutableRawPointer?
        if self.byteCount >= Self.smallestMapped {
            let mapping = mmap(nil, self.byteCount, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
            if let mapping, mapping != MAP_FAILED { address = mapping }
        }
        mapped = address != nil
        let raw = address ?? UnsafeMutableRawPointer.allocate(byteCount: self.byteCount, alignment: 64)
        floats = raw.bindMemory(to: Float.self, capacity: self.byteCount / MemoryLayout<Float>.stride)
    }

    deinit {
        if mapped {
            munmap(UnsafeMutableRawPointer(floats), byteCount)
        } else {
            UnsafeMutableRawPointer(floats).deallocate()
        }
    }
}
