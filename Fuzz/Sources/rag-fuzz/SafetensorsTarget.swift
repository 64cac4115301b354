import Foundation
import ModelFiles
import TestSupport

/// A safetensors file through `SafetensorsFile`: the header, then every tensor's bytes, and its floats when
/// its dtype has them; a wrong shape must be refused before anything is converted.
final class SafetensorsTarget: FuzzTarget {
    static let name = "safetensors"
    static let summary = "a safetensors file: header, tensor bytes, floats (ModelFiles)"

    let scratch: ScratchFolder

    init() throws { scratch = try ScratchFolder(label: Self.name) }

    func run(_ input: UnsafeRawBufferPointer) {
        let url = scratch.write(input, to: "model.safetensors")
        let file: SafetensorsFile
        do {
            file = try SafetensorsFile(url: url)
        } catch {
            requireNamesFile(error, ModelFileError.self, path: url.path)
            return
        }
        for (name, info) in file.tensors.sorted(by: { $0.key < $1.key }) {
            guard info.byteRange.lowerBound >= 8, info.byteRange.upperBound <= input.count,
                info.byteRange.count == info.elementCount * info.dtype.byteSize
            else {
                fuzzFailure(
                    "tensor '\(name)' has bytes \(info.byteRange) for \(info.dtype) \(info.shape) in \(input.count)")
            }
            do {
                let sum = try file.withRawBytes(name) { bytes in bytes.reduce(0, ^) }
                blackHole(sum)
            } catch {
                fuzzFailure("tensor '\(name)' of a file that opened cannot be read: \(error)")
            }
            do {
                let floats = try file.floats(name)
                guard floats.count == info.elementCount else {
                    fuzzFailure("tensor '\(name)' gave \(floats.count) floats for \(info.elementCount) elements")
                }
            } catch .unsupportedDType {
                guard ![.f32, .f16, .bf16].contains(info.dtype) else { fuzzFailure("\(info.dtype) refused") }
            } catch {
                fuzzFailure("tensor '\(name)': \(error)")
            }
            let wrongShape = info.shape + [2]
            do {
                _ = try file.floats(name, shape: wrongShape)
                fuzzFailure("tensor '\(name)' of shape \(info.shape) was read as \(wrongShape)")
            } catch .shapeMismatch {
            } catch {
                fuzzFailure("tensor '\(name)' read with a wrong shape: \(error), expected a shape mismatch")
            }
        }
        _ = try? file.info("no.such.tensor")
    }

    static func seeds() throws -> [Seed] {
        var random = SampleFiles.Bytes(seed: 11)
        return [
            Seed(
                "dtypes.safetensors",
                SampleFiles.safetensors(
                    [
                        ("f32", "F32", [2, 3], SampleFiles.float32Bytes(6, random: &random)),
                        ("f16", "F16", [4], random.bytes(8)),
                        ("bf16", "BF16", [2, 2], random.bytes(8)),
                        ("i64", "I64", [1], random.bytes(8)),
                        ("scalar", "U8", [], [7]),
                        ("empty", "F32", [0, 5], []),
                        ("bool", "BOOL", [3], [0, 1, 0]),
                    ], metadata: ["format": "pt"])),
            Seed(
                "embedding.safetensors",
                SampleFiles.safetensors([
                    (
                        "embeddings.word_embeddings.weight", "F32", [8, 4],
                        SampleFiles.float32Bytes(32, random: &random)
                    ),
                    ("encoder.layer.0.attention.self.query.bias", "F16", [4], random.bytes(8)),
                ])),
        ]
    }
}
