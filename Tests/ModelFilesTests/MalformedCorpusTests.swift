import Foundation
import ModelFiles
import TestSupport
import Testing

/// Every GGUF and safetensors file of the regression corpus (`Tests/Fixtures/malformed/gguf|safetensors/`):
/// hand-made damage and what the fuzzer found. Each must open, with every tensor inside the file, or be
/// refused with a `ModelFileError` that names the file; a crash here takes the whole test run down.
@Suite("Hostile GGUF and safetensors files of the regression corpus")
struct MalformedCorpusTests {
    @Test("the corpus folders are there and not empty")
    func foldersExist() {
        #expect(MalformedCorpus.names("gguf").count >= 40)
        #expect(MalformedCorpus.names("safetensors").count >= 30)
    }

    @Test(
        "a hostile GGUF file opens with its tensors inside it, or throws naming the file",
        arguments: MalformedCorpus.names("gguf"))
    func gguf(_ name: String) {
        let url = MalformedCorpus.url("gguf", name)
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
        let file: GGUFFile
        do {
            file = try GGUFFile(url: url)
        } catch {
            #expect(error.description.contains(url.path), "\(error)")
            #expect(!name.hasPrefix("valid"), "\(error)")
            return
        }
        for name in file.tensorNames {
            guard let info = file.tensors[name] else {
                Issue.record("tensor '\(name)' is listed but missing")
                continue
            }
            #expect(info.offset >= file.dataOffset && info.offset <= size)
            if let range = info.byteRange {
                #expect(range.upperBound <= size)
                #expect((try? file.rawBytes(name).count) == range.count)
            } else {
                #expect(throws: ModelFileError.self) { try file.rawBytes(name) }
            }
        }
    }

    @Test(
        "a hostile safetensors file opens with its tensors inside it, or throws naming the file",
        arguments: MalformedCorpus.names("safetensors"))
    func safetensors(_ name: String) throws {
        let url = MalformedCorpus.url("safetensors", name)
        let size = try #require(try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int)
        let file: SafetensorsFile
        do {
            file = try SafetensorsFile(url: url)
        } catch {
            #expect(error.description.contains(url.path), "\(error)")
            return
        }
        for (name, info) in file.tensors {
            #expect(info.byteRange.upperBound <= size)
            #expect(info.byteRange.count == info.elementCount * info.dtype.byteSize)
            if [.f32, .f16, .bf16].contains(info.dtype) {
                #expect(try file.floats(name).count == info.elementCount)
            }
        }
    }
}
