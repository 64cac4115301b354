import Testing

@testable import ModelFiles

@Suite("MappedFile")
struct MappedFileTests {
    @Test("maps a file's exact bytes, and an empty file as no bytes")
    func mapsBytes() throws {
        let directory = try TemporaryDirectory()
        let url = try directory.write([1, 2, 3, 250], name: "four")
        // The mapping lives only as long as the object, so the object is held while the bytes are read.
        let mapped = try MappedFile(path: url.path)
        withExtendedLifetime(mapped) { #expect(Array(mapped.bytes) == [1, 2, 3, 250]) }
        let empty = try directory.write([], name: "empty")
        #expect(try MappedFile(path: empty.path).bytes.isEmpty)
    }

    @Test("tells a missing file from an unreadable one")
    func reportsOpenFailures() throws {
        let directory = try TemporaryDirectory()
        let missing = directory.url.appendingPathComponent("missing").path
        #expect(throws: ModelFileError.fileNotFound(path: missing)) { try MappedFile(path: missing) }
        let notDirectory = try directory.write([0], name: "plain").path + "/inside"
        let error = #expect(throws: ModelFileError.self) { try MappedFile(path: notDirectory) }
        guard case .unreadable(let path, let reason) = error else {
            Issue.record("expected .unreadable, found \(String(describing: error))")
            return
        }
        #expect(path == notDirectory)
        #expect(reason == "Not a directory")
    }
}
