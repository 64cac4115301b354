import Foundation
import TestSupport

/// Kernels' own fixture readers, on the shared paths.
extension TestResources {
    static var smolLM2: URL { smolLM }

    /// `count` bytes of the default generator's GGUF file from byte `offset`.
    static func smolLM2Bytes(offset: Int, count: Int) throws -> Data {
        guard let handle = FileHandle(forReadingAtPath: smolLM2.path) else {
            throw Missing(path: smolLM2.path, hint: "run `make models`")
        }
        defer { try? handle.close() }
        try handle.seek(toOffset: UInt64(offset))
        guard let data = try handle.read(upToCount: count), data.count == count else {
            throw Missing(path: smolLM2.path, hint: "the file is shorter than expected; run `make models` again")
        }
        return data
    }

    /// A fixture of raw little-endian float32 values.
    static func floats(_ relative: String) throws -> [Float] {
        let data = try fixture(relative)
        return data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    }
}
