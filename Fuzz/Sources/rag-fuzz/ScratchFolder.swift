import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A folder of this process's own where a target writes each input, because the readers under test open
/// files by path (and map them): the fuzzer attacks the same entry points a user's file goes through.
///
/// In `$RAG_FUZZ_SCRATCH` when set, else in `/dev/shm` (memory, so no disk write per input) when there is
/// one, else in the temporary folder; removed when the process exits normally.
final class ScratchFolder {
    let url: URL

    init(label: String) throws {
        let environment = ProcessInfo.processInfo.environment
        let base: URL
        if let path = environment["RAG_FUZZ_SCRATCH"], !path.isEmpty {
            base = URL(fileURLWithPath: path)
        } else if access("/dev/shm", W_OK) == 0 {
            base = URL(fileURLWithPath: "/dev/shm")
        } else {
            base = FileManager.default.temporaryDirectory
        }
        url = base.appendingPathComponent("rag-fuzz-\(label)-\(getpid())")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        Self.register(url)
    }

    /// Writes `bytes` to `name` in the folder, replacing what was there, and returns its URL.
    @discardableResult
    func write(_ bytes: UnsafeRawBufferPointer, to name: String) -> URL {
        let file = url.appendingPathComponent(name)
        let descriptor = open(file.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { fuzzFailure("cannot write \(file.path): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        var offset = 0
        while offset < bytes.count, let base = bytes.baseAddress {
            let written = Foundation.write(descriptor, base + offset, bytes.count - offset)
            guard written > 0 else { fuzzFailure("cannot write \(file.path): \(String(cString: strerror(errno)))") }
            offset += written
        }
        return file
    }

    @discardableResult
    func write(_ bytes: [UInt8], to name: String) -> URL {
        bytes.withUnsafeBytes { write($0, to: name) }
    }

    func remove(_ name: String) {
        unlink(url.appendingPathComponent(name).path)
    }

    // MARK: - Clean-up at exit

    private nonisolated(unsafe) static var folders: [URL] = []

    private static func register(_ folder: URL) {
        if folders.isEmpty {
            atexit {
                for folder in ScratchFolder.folders { try? FileManager.default.removeItem(at: folder) }
            }
        }
        folders.append(folder)
    }
}
