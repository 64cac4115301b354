import Foundation
import Kernels
import LanguageModel
import ModelFiles

/// Folds LoRA adapters into a copy of a base GGUF model: W' = W + Σ weight·scale·B·A for every
/// touched projection, written as Q8_0; every other tensor and all metadata are copied unchanged.
///
/// Q8_0 rather than F16: the merged file stays close to the base's size (a 4-bit base cannot hold
/// the small deltas; 8 bits can, at an error far below the adapter's effect), and the runtime's
/// fast 8-bit kernels read it.
public enum AdapterMerger {
    public struct Report: Sendable, Equatable {
        public var mergedTensors: Int
        public var copiedTensors: Int
        public var bytes: Int
    }

    /// Writes the merged model to `output` (atomically).
    public static func merge(base url: URL, adapters: [ActiveAdapter], output: URL) throws -> Report {
        let file = try GGUFFile(url: url)
        // Refuses architectures the runtime does not run before any work.
        _ = try LlamaConfiguration(file: file)
        var targets: [String: (layer: Int, projection: ProjectionTarget)] = [:]
        let names: [ProjectionTarget: String] = [
            .query: "attn_q", .key: "attn_k", .value: "attn_v", .output: "attn_output", .gate: "ffn_gate",
            .up: "ffn_up", .down: "ffn_down",
        ]
        for active in adapters {
            for (layer, updates) in active.adapter.updates {
                for projection in updates.keys {
                    targets["blk.\(layer).\(names[projection]!).weight"] = (layer, projection)
                }
            }
        }
        var tensors: [GGUFWriter.Tensor] = []
        var merged = 0
        for name in file.tensorNames {
            let info = try file.info(name)
            let raw = try file.rawBytes(name)
            guard let target = targets[name] else {
                tensors.append(.init(name: name, dimensions: info.dimensions, type: info.type, bytes: Data(raw)))
                continue
            }
            let columns = info.dimensions[0]
            let rows = info.dimensions.dropFirst().reduce(1, *)
            guard let format = format(info.type) else {
                throw LanguageModelError.unsupportedTensorType(path: url.path, name: name, type: info.type.name)
            }
            let matrix = try QuantizedMatrix(bytes: raw, rows: rows, columns: columns, format: format)
            var weights = [Float](repeating: 0, count: rows * columns)
            weights.withUnsafeMutableBufferPointer { matrix.dequantize(rows: 0..<rows, into: $0.baseAddress!) }
            for active in adapters {
                guard let update = active.adapter.updates[target.layer]?[target.projection] else { continue }
                precondition(update.outputs == rows && update.inputs == columns)
                addProduct(update, weight: active.weight, to: &weights)
            }
            var bytes = Data(count: rows * columns / 32 * 34)
            bytes.withUnsafeMutableBytes { out in
                weights.withUnsafeBufferPointer {
                    RowQuantization.quantizeQ80($0.baseAddress!, count: rows * columns, into: out.baseAddress!)
                }
            }
            tensors.append(.init(name: name, dimensions: info.dimensions, type: .q8Zero, bytes: bytes))
            merged += 1
        }
        let metadata = file.metadataKeys.map { (key: $0, value: file.metadata[$0]!) }
        try GGUFWriter(metadata: metadata, tensors: tensors, alignment: file.alignment).write(to: output)
        let size = (try? FileManager.default.attributesOfItem(atPath: output.path)[.size] as? Int) ?? 0
        return Report(mergedTensors: merged, copiedTensors: tensors.count - merged, bytes: size)
    }

    /// weights[outputs × inputs] += weight·scale·B·A.
    static func addProduct(_ update: LowRankUpdate, weight: Float, to weights: inout [Float]) {
        let factor = weight * update.scale
        for row in 0..<update.outputs {
            for r in 0..<update.rank {
                let b = factor * update.b[row * update.rank + r]
                if b == 0 { continue }
                let aRow = r * update.inputs
                let wRow = row * update.inputs
                for column in 0..<update.inputs { weights[wRow + column] += b * update.a[aRow + column] }
            }
        }
    }

    static func format(_ type: GGUFTensorType) -> QuantizationFormat? {
        switch type {
        case .f32: return .f32
        case .f16: return .f16
        case .q4Zero: return .q40
        case .q4One: return .q41
        case .q8Zero: return .q80
        default: return nil
        }
    }
}
