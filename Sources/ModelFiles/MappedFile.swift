#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A whole file mapped read-only into memory, unmapped when the object dies.
///
/// Mapping instead of reading means a 90 MB model costs no copy to open and pages in only what is touched;
/// the kernel shares the pages between processes that map the same file.
///
/// `@unchecked Sendable` is safe because the mapping is `PROT_READ` and `MAP_PRIVATE`: after `init` nothing in
/// this object, nor the bytes it points at, is ever written, so concurrent readers cannot race. (If another
/// process truncates the file while it is mapped, touching the lost pages raises SIGBUS; no reader can guard
/// against that, so model files must be replaced by rename, never rewritten in place.)
final class MappedFile: @unchecked Sendable {
    /// The path as given, for error messages.
    let path: String
    /// The mapped bytes; empty (with a nil base) for an empty file, which `mmap` refuses to map.
    let bytes: UnsafeRawBufferPointer

    init(path: String) throws(ModelFileError) {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            let code = errno
            if code == ENOENT { throw .fileNotFound(path: path) }
            throw .unreadable(path: path, reason: Self.message(code))
        }
        defer { close(fd) }

        var status = stat()
        if fstat(fd, &status) != 0 {
            throw .unreadable(path: path, reason: "fstat failed: \(Self.message(errno))")
        }
        if (status.st_mode & S_IFMT) != S_IFREG {
            let kind = (status.st_mode & S_IFMT) == S_IFDIR ? "a directory" : "not a regular file"
            throw .unreadable(path: path, reason: "expected a regular file, found \(kind)")
        }
        guard status.st_size > 0 else {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        guard let size = Int(exactly: status.st_size) else {
            throw .unreadable(path: path, reason: "size \(status.st_size) does not fit in memory")
        }
        let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0)
        guard let base, base != MAP_FAILED else {
            throw .unreadable(path: path, reason: "mmap of \(size) bytes failed: \(Self.message(errno))")
        }
        bytes = UnsafeRawBufferPointer(start: base, count: size)
    }

    /// Drops the pages that hold `range` (rounded out to whole pages) from this process's resident
    /// memory. The mapping is read-only and never dirty, so nothing is lost: a page touched again is
    /// read back from the file (or the page cache).
    func evict(_ range: Range<Int>) {
        guard let base = bytes.baseAddress, !range.isEmpty else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = max(0, range.lowerBound) / page * page
        let end = min(bytes.count, (range.upperBound + page - 1) / page * page)
        guard start < end else { return }
        _ = madvise(UnsafeMutableRawPointer(mutating: base + start), end - start, Int32(MADV_DONTNEED))
    }

    deinit {
        if let base = bytes.baseAddress {
            munmap(UnsafeMutableRawPointer(mutating: base), bytes.count)
        }
    }

    private static func message(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}
