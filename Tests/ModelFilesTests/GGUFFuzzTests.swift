import Foundation
import Testing

@testable import ModelFiles

/// Damaged and hostile GGUF files must throw a typed error naming the file, never crash, never allocate what
/// a count claims before the bytes are there to back it.
@Suite("GGUFFile on damaged files")
struct GGUFFuzzTests {
    typealias Fixture = GGUFFixture

    /// A file with one entry and one F32 tensor, for variations that change one field.
    static func small(
        entries: [[UInt8]] = [Fixture.entry("general.architecture", .string("llama"))],
        tensors: [GGUFFixtureTensor] = [GGUFFixtureTensor(name: "t", dimensions: [4], typeID: 0, offset: 0)],
        data: [UInt8] = [UInt8](repeating: 0, count: 16),
        tensorCount: UInt64? = nil,
        entryCount: UInt64? = nil
    ) -> [UInt8] {
        Fixture.file(entries: entries, tensors: tensors, data: data, tensorCount: tensorCount, entryCount: entryCount)
    }

    /// Parses `bytes`; when they parse, every tensor of known size must lie inside them. Returns whether they did.
    @discardableResult
    func parseAndCheck(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { raw in
            let header: GGUFHeader
            do throws(ModelFileError) {
                header = try GGUFHeader(file: raw, path: "/fuzz/model.gguf")
            } catch {
                #expect(error.description.contains("/fuzz/model.gguf"), "\(error)")
                return false
            }
            for info in header.tensors.values {
                #expect(info.offset >= header.dataOffset && info.offset <= raw.count)
                if let range = info.byteRange { #expect(range.upperBound <= raw.count) }
            }
            return true
        }
    }

    @Test("the valid sample parses, and every shorter prefix of it throws")
    func truncatedAtEveryLength() throws {
        let valid = Fixture.valid
        #expect(parseAndCheck(valid))
        for length in 0..<valid.count {
            let parsed = parseAndCheck(Array(valid.prefix(length)))
            #expect(!parsed, "a file cut to \(length) of \(valid.count) bytes parsed")
        }
        // Through the file system too, for a few lengths: the error names the file.
        let directory = try TemporaryDirectory()
        for length in [0, 3, 4, 23, valid.count / 2, valid.count - 1] {
            let url = try directory.write(Array(valid.prefix(length)), name: "cut.gguf")
            let error = #expect(throws: ModelFileError.self) { try GGUFFile(url: url) }
            #expect(error?.description.contains(url.path) == true)
        }
    }

    @Test("a bad magic, an unknown version or a big-endian file is an invalid header")
    func refusesMagicAndVersion() {
        var bytes = Self.small()
        bytes[3] = UInt8(ascii: "X")
        guard case .invalidHeader(_, let reason) = ggufError(bytes) else {
            Issue.record("magic accepted")
            return
        }
        #expect(reason == "magic is 'GGUX', expected 'GGUF'; this is not a GGUF file")

        for version: UInt32 in [0, 1, 4, 0x0300_0000] {
            var versioned = Self.small()
            versioned.replaceSubrange(4..<8, with: Fixture.littleEndian(version))
            guard case .invalidHeader(_, let reason) = ggufError(versioned) else {
                Issue.record("version \(version) accepted")
                return
            }
            #expect(reason.contains("expected 2 or 3"))
            #expect(reason.contains("big-endian") == (version == 0x0300_0000))
        }
    }

    @Test("huge counts and lengths are refused before anything is allocated")
    func refusesHugeCounts() {
        let huge: UInt64 = 1 << 60
        // Tensor and entry counts.
        #expect(ggufError(Self.small(tensorCount: huge)) != nil)
        #expect(ggufError(Self.small(entryCount: huge)) != nil)
        #expect(ggufError(Self.small(tensorCount: 1000)) != nil)
        #expect(ggufError(Self.small(entryCount: UInt64.max)) != nil)
        // A string array whose count claims 2^60 elements.
        let array =
            Fixture.string("tokens") + Fixture.littleEndian(UInt32(9)) + Fixture.littleEndian(UInt32(8))
            + Fixture.littleEndian(huge)
        guard case .invalidMetadata(_, let key, let reason) = ggufError(Self.small(entries: [array])) else {
            Issue.record("a 2^60-element array was accepted")
            return
        }
        #expect(key == "tokens" && reason.contains("1152921504606846976"))
        // A key and a string value whose lengths claim 2^60 bytes.
        let longKey = Fixture.littleEndian(huge) + Array("k".utf8)
        #expect(ggufError(Self.small(entries: [longKey])) != nil)
        let longValue = Fixture.string("k") + Fixture.littleEndian(UInt32(8)) + Fixture.littleEndian(huge)
        guard case .invalidMetadata(_, "k", _) = ggufError(Self.small(entries: [longValue])) else {
            Issue.record("a 2^60-byte string was accepted, or the error does not name the key")
            return
        }
        // Dimensions whose product overflows, and one that does not fit a signed size.
        let overflow = GGUFFixtureTensor(name: "t", dimensions: [1 << 32, 1 << 32], typeID: 0, offset: 0)
        #expect(ggufError(Self.small(tensors: [overflow])) != nil)
        let unsigned = GGUFFixtureTensor(name: "t", dimensions: [UInt64.max], typeID: 0, offset: 0)
        #expect(ggufError(Self.small(tensors: [unsigned])) != nil)
        let fiveDimensions = GGUFFixtureTensor(name: "t", dimensions: [1, 1, 1, 1, 4], typeID: 0, offset: 0)
        #expect(ggufError(Self.small(tensors: [fiveDimensions])) != nil)
    }

    @Test("misaligned, out-of-range, overlapping and duplicate tensors name the tensor")
    func refusesBadTensors() {
        func tensorError(_ tensors: [GGUFFixtureTensor], data: [UInt8] = [UInt8](repeating: 0, count: 64)) -> String? {
            guard case .invalidTensor(_, let name, let reason) = ggufError(Self.small(tensors: tensors, data: data))
            else { return nil }
            return "\(name): \(reason)"
        }
        let misaligned = tensorError([GGUFFixtureTensor(name: "t", dimensions: [4], typeID: 0, offset: 4)])
        #expect(misaligned?.hasPrefix("t: offset 4 is not a multiple of the alignment 32") == true)
        let beyond = tensorError([GGUFFixtureTensor(name: "t", dimensions: [4], typeID: 0, offset: 1 << 20)])
        #expect(beyond?.contains("past the end of the file") == true)
        let tooLong = tensorError([GGUFFixtureTensor(name: "t", dimensions: [32], typeID: 0, offset: 0)])
        #expect(tooLong?.contains("needs 128 bytes") == true)
        let overlapping = tensorError([
            GGUFFixtureTensor(name: "a", dimensions: [16], typeID: 0, offset: 0),
            GGUFFixtureTensor(name: "b", dimensions: [4], typeID: 0, offset: 32),
        ])
        #expect(overlapping?.hasPrefix("b: offset 32 lies inside tensor 'a'") == true)
        let duplicate = tensorError([
            GGUFFixtureTensor(name: "a", dimensions: [4], typeID: 0, offset: 0),
            GGUFFixtureTensor(name: "a", dimensions: [4], typeID: 0, offset: 32),
        ])
        #expect(duplicate == "a: appears twice in the header, expected once")
        let partialBlock = tensorError([GGUFFixtureTensor(name: "q", dimensions: [31], typeID: 8, offset: 0)])
        #expect(partialBlock?.contains("not a whole number of Q8_0 blocks of 32") == true)
    }

    @Test("unknown value types, bad bools, invalid UTF-8, duplicate keys and deep nesting name the key")
    func refusesBadMetadata() {
        func metadataError(_ entries: [[UInt8]]) -> (key: String, reason: String)? {
            guard case .invalidMetadata(_, let key, let reason) = ggufError(Self.small(entries: entries)) else {
                return nil
            }
            return (key, reason)
        }
        let unknownType = Fixture.string("odd") + Fixture.littleEndian(UInt32(13)) + [0, 0, 0, 0]
        #expect(metadataError([unknownType])?.reason == "unknown value type 13, expected 0 to 12")
        let unknownElement =
            Fixture.string("odd") + Fixture.littleEndian(UInt32(9)) + Fixture.littleEndian(UInt32(77))
            + Fixture.littleEndian(UInt64(0))
        #expect(metadataError([unknownElement])?.key == "odd")
        let badBool = Fixture.string("flag") + Fixture.littleEndian(UInt32(7)) + [2]
        #expect(metadataError([badBool])?.reason == "bool byte is 2, expected 0 or 1")
        let badUTF8 = Fixture.string("text") + Fixture.littleEndian(UInt32(8)) + Fixture.string([0xC3, 0x28])
        #expect(metadataError([badUTF8])?.reason == "a string is not valid UTF-8")
        let twice = Fixture.entry("k", .uint8(1))
        #expect(metadataError([twice, twice])?.reason == "appears twice, expected once")

        var deep: [UInt8] = Fixture.string("deep") + Fixture.littleEndian(UInt32(9))
        for _ in 0..<10_000 { deep += Fixture.littleEndian(UInt32(9)) + Fixture.littleEndian(UInt64(1)) }
        deep += Fixture.littleEndian(UInt32(0)) + Fixture.littleEndian(UInt64(0))
        #expect(metadataError([deep])?.reason.contains("nest deeper") == true)

        guard case .invalidHeader(_, let reason) = ggufError(Self.small(entries: [Fixture.string([0xFF]) + [0]])) else {
            Issue.record("a key of invalid UTF-8 was accepted")
            return
        }
        #expect(reason.contains("not valid UTF-8"))
    }

    @Test("general.alignment must be a uint32 power of two")
    func refusesBadAlignment() {
        let asString = Fixture.entry("general.alignment", .string("32"))
        #expect(
            ggufError(Self.small(entries: [asString]))
                == .metadataTypeMismatch(
                    path: "/fixture/model.gguf", key: "general.alignment", expected: "uint32", found: "string"))
        for bad: UInt32 in [0, 48] {
            guard
                case .invalidMetadata(_, "general.alignment", _) = ggufError(
                    Self.small(entries: [Fixture.entry("general.alignment", .uint32(bad))]))
            else {
                Issue.record("alignment \(bad) accepted")
                return
            }
        }
    }

    @Test("random damage to the sample throws or parses, never crashes")
    func randomDamage() {
        var generator = SplitMix64(seed: 0x6611_F00D)
        let valid = Fixture.valid
        for _ in 0..<2000 {
            var bytes = valid
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            }
            if Bool.random(using: &generator) {
                bytes.removeLast(Int.random(in: 0..<bytes.count, using: &generator))
            }
            parseAndCheck(bytes)
        }
    }
}
