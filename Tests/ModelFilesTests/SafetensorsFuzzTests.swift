import Foundation
import Testing

@testable import ModelFiles

/// Damaged files must make `SafetensorsFile` throw or open, never crash; whatever opens must be readable.
@Suite("SafetensorsFile on damaged files")
struct SafetensorsFuzzTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
    }

    static let valid = SafetensorsFixture.file(
        [
            FixtureTensor(name: "a.weight", dtype: "F32", shape: [2, 2], data: SafetensorsFixture.f32([1, 2, 3, 4])),
            FixtureTensor(name: "b", dtype: "F16", shape: [3], data: SafetensorsFixture.f16([1, 2, 3])),
            FixtureTensor(name: "ids", dtype: "I64", shape: [1, 2], data: SafetensorsFixture.i64([0, 1])),
            FixtureTensor(name: "empty", dtype: "BF16", shape: [0], data: []),
            FixtureTensor(name: "c", dtype: "BF16", shape: [1], data: SafetensorsFixture.bf16([0.5])),
        ],
        metadata: ["format": "pt"]
    )

    /// Opens `bytes`; when that succeeds, reads every tensor every way. Returns whether it opened.
    @discardableResult
    func openAndReadAll(_ bytes: [UInt8]) throws -> Bool {
        let url = try directory.write(bytes)
        let file: SafetensorsFile
        do {
            file = try SafetensorsFile(url: url)
        } catch {
            #expect(error.description.contains(url.path), "\(error)")
            return false
        }
        for info in file.tensors.values {
            let count = try file.withRawBytes(info.name) { $0.count }
            #expect(count == info.elementCount * info.dtype.byteSize)
            #expect(info.byteRange.upperBound <= bytes.count)
            if [.f32, .f16, .bf16].contains(info.dtype) {
                #expect(try file.floats(info.name).count == info.elementCount)
            }
        }
        return true
    }

    /// The same checks in memory, through the header parser alone, for the thousands of variants that would
    /// otherwise each cost a file write. Returns whether the header was accepted.
    @discardableResult
    func parseAndReadAll(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { raw in
            let header: SafetensorsHeader
            do throws(ModelFileError) {
                header = try SafetensorsHeader(file: raw, path: "/fuzz/model.safetensors")
            } catch {
                #expect(error.description.contains("/fuzz/model.safetensors"), "\(error)")
                return false
            }
            for info in header.tensors.values {
                #expect(info.byteRange.lowerBound >= header.dataStart && info.byteRange.upperBound <= raw.count)
                #expect(info.byteRange.count == info.elementCount * info.dtype.byteSize)
                let slice = UnsafeRawBufferPointer(rebasing: raw[info.byteRange])
                switch info.dtype {
                case .f32: #expect(FloatConversion.fromF32(slice, count: info.elementCount).count == info.elementCount)
                case .f16: #expect(FloatConversion.fromF16(slice, count: info.elementCount).count == info.elementCount)
                case .bf16:
                    #expect(FloatConversion.fromBF16(slice, count: info.elementCount).count == info.elementCount)
                default: break
                }
            }
            return true
        }
    }

    @Test("the valid file opens with all its tensors")
    func validFileOpens() throws {
        let file = try SafetensorsFile(url: directory.write(Self.valid))
        #expect(file.tensors.count == 5)
        #expect(try file.floats("a.weight", shape: [2, 2]) == [1, 2, 3, 4])
    }

    @Test("a file cut at every length throws, except at full length")
    func truncatedAtEveryLength() throws {
        for length in 0..<Self.valid.count {
            let opened = try openAndReadAll(Array(Self.valid.prefix(length)))
            #expect(opened == parseAndReadAll(Array(Self.valid.prefix(length))))
            #expect(!opened, "a file cut to \(length) of \(Self.valid.count) bytes opened")
        }
        #expect(try openAndReadAll(Self.valid))
    }

    @Test("replacing any header byte with a JSON-significant byte throws or opens, never crashes")
    func flippedHeaderBytes() throws {
        let replacements: [UInt8] = Array("\"{}[],:0-9 e.\\".utf8) + [0x00, 0x80, 0xFF]
        let headerEnd = 8 + Int(Self.valid.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
        for index in 0..<headerEnd {
            for replacement in replacements where Self.valid[index] != replacement {
                var bytes = Self.valid
                bytes[index] = replacement
                parseAndReadAll(bytes)
            }
        }
    }

    @Test("random damage to the whole file throws or opens, never crashes")
    func randomDamage() {
        var generator = SplitMix64(seed: 0x5AFE_7E45)
        for _ in 0..<1000 {
            var bytes = Self.valid
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            }
            if Bool.random(using: &generator) {
                bytes.removeLast(Int.random(in: 0..<bytes.count, using: &generator))
            }
            parseAndReadAll(bytes)
        }
    }
}

/// A small seeded generator, so that a failing damage pattern is reproduced on every run.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
