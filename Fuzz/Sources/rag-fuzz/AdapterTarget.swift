import AdapterLoader
import Foundation
import LanguageModel
import TestSupport

/// A PEFT adapter folder through `AdapterLoader`, checked against a tiny base model (one layer, width 32,
/// two heads of 16 sharing one key/value head, feed-forward 32); an adapter that loads then generates two
/// tokens applied to that model, so that every shape it was allowed in with meets the kernels.
///
/// An input is `adapter_config.json`, a NUL byte, then `adapter_model.safetensors` (JSON holds no NUL). An
/// input without a NUL is a configuration alone, paired with a valid rank-2 adapter for q_proj and v_proj.
final class AdapterTarget: FuzzTarget {
    static let name = "adapter"
    static let summary = "a PEFT adapter: adapter_config.json, NUL, adapter_model.safetensors (AdapterLoader)"

    let scratch: ScratchFolder
    let model: LanguageModel
    static let defaultWeights = weights(rank: 2, dtype: "F32")

    init() throws {
        scratch = try ScratchFolder(label: Self.name)
        try FileManager.default.createDirectory(
            at: scratch.url.appendingPathComponent("adapter"), withIntermediateDirectories: true)
        let url = scratch.write(try SampleFiles.tinyModel(), to: "base.gguf")
        model = try LanguageModel(url: url, precision: .float32, threads: 1)
    }

    func run(_ input: UnsafeRawBufferPointer) {
        let split = input.firstIndex(of: 0)
        let config = UnsafeRawBufferPointer(rebasing: input[..<(split ?? input.count)])
        scratch.write(config, to: "adapter/adapter_config.json")
        if let split {
            scratch.write(
                UnsafeRawBufferPointer(rebasing: input[(split + 1)...]), to: "adapter/adapter_model.safetensors")
        } else {
            scratch.write(Self.defaultWeights, to: "adapter/adapter_model.safetensors")
        }
        let folder = scratch.url.appendingPathComponent("adapter")
        let adapter: LoRAAdapter
        do {
            adapter = try AdapterLoader.load(directory: folder, base: model.configuration)
        } catch {
            requireNamesFile(error, AdapterError.self, path: folder.path)
            return
        }
        for (layer, updates) in adapter.updates {
            guard (0..<model.configuration.layerCount).contains(layer) else {
                fuzzFailure("the adapter updates layer \(layer) of a model with \(model.configuration.layerCount)")
            }
            for update in updates.values {
                guard update.a.count == update.rank * update.inputs, update.b.count == update.outputs * update.rank
                else {
                    fuzzFailure("an update of rank \(update.rank) holds \(update.a.count) and \(update.b.count) values")
                }
                guard update.scale.isFinite else { fuzzFailure("an update's scale is \(update.scale)") }
            }
        }
        do {
            _ = try model.generate(
                promptTokens: [259, 260, 84],
                options: GenerationOptions(maxTokens: 2, adapters: [ActiveAdapter(adapter)])
            ) { _ in }
        } catch {
            fuzzFailure("the base model cannot generate through an adapter that loaded: \(error)")
        }
    }

    // MARK: - Seeds

    /// lora_A [rank, 32] and lora_B [out, rank] of q_proj (out 32) and v_proj (out 16) in layer 0.
    static func weights(rank: Int, dtype: String, prefix: String = "base_model.model.model.layers.0.self_attn.")
        -> [UInt8]
    {
        var random = SampleFiles.Bytes(seed: UInt64(rank))
        func values(_ count: Int) -> [UInt8] {
            switch dtype {
            case "F32":
                return SampleFiles.float32Bytes(count, random: &random)
            default:
                // F16 and BF16: two bytes each, sign and exponent kept small so the values stay finite.
                return (0..<count).flatMap { _ in [random.bytes(1)[0], UInt8(0x3C) & random.bytes(1)[0]] }
            }
        }
        return SampleFiles.safetensors([
            (prefix + "q_proj.lora_A.weight", dtype, [rank, 32], values(rank * 32)),
            (prefix + "q_proj.lora_B.weight", dtype, [32, rank], values(32 * rank)),
            (prefix + "v_proj.lora_A.weight", dtype, [rank, 32], values(rank * 32)),
            (prefix + "v_proj.lora_B.weight", dtype, [16, rank], values(16 * rank)),
        ])
    }

    static func config(_ fields: String) -> [UInt8] {
        Array(
            """
            {"peft_type": "LORA", "base_model_name_or_path": "HuggingFaceTB/SmolLM2-135M-Instruct", "bias": "none",
             "fan_in_fan_out": false, "lora_dropout": 0.05, "modules_to_save": null, "use_dora": false, \(fields)}
            """.utf8)
    }

    static func seeds() throws -> [Seed] {
        [
            Seed(
                "names-f32",
                config(#""r": 2, "lora_alpha": 4.0, "target_modules": ["q_proj", "v_proj"]"#) + [0]
                    + weights(rank: 2, dtype: "F32")),
            Seed(
                "regex-rslora-f16",
                config(#""r": 4, "lora_alpha": 8, "use_rslora": true, "target_modules": ".*\\.(q|v)_proj""#) + [0]
                    + weights(rank: 4, dtype: "F16")),
            Seed(
                "patterns-bf16",
                config(
                    #""r": 8, "lora_alpha": 16, "target_modules": ["q_proj", "v_proj"], "rank_pattern": {"q_proj": 2, "v_proj": 2}, "alpha_pattern": {"v_proj": 3.5}"#
                ) + [0] + weights(rank: 2, dtype: "BF16", prefix: "base_model.model.model.layers.0.self_attn.")),
            Seed("config-only", config(#""r": 2, "lora_alpha": 2, "target_modules": ["q_proj", "v_proj"]"#)),
        ]
    }
}
