import Foundation
import LanguageModel
import ModelFiles

/// Reads a PEFT LoRA adapter folder (`adapter_config.json` + `adapter_model.safetensors`) into a
/// `LoRAAdapter` for a given base model, checking everything against it.
public enum AdapterLoader {
    /// Hugging Face module names and the projections they are in the GGUF model.
    static let projections: [String: ProjectionTarget] = [
        "q_proj": .query, "k_proj": .key, "v_proj": .value, "o_proj": .output,
        "gate_proj": .gate, "up_proj": .up, "down_proj": .down,
    ]

    /// Loads the adapter in `directory` for a base model of `base`; its name is the folder's name
    /// unless given.
    public static func load(directory: URL, base: LlamaConfiguration, name: String? = nil) throws(AdapterError)
        -> LoRAAdapter
    {
        let configuration = try AdapterConfiguration(
            contentsOf: directory.appendingPathComponent("adapter_config.json"))
        let weightsURL = directory.appendingPathComponent("adapter_model.safetensors")
        guard FileManager.default.fileExists(atPath: weightsURL.path) else {
            throw .unreadable(
                path: weightsURL.path, reason: "adapter_model.safetensors is missing (PEFT's .bin format is not read)")
        }
        let file: SafetensorsFile
        do { file = try SafetensorsFile(url: weightsURL) } catch {
            throw .unreadable(path: weightsURL.path, reason: "\(error)")
        }
        let path = weightsURL.path

        // Pair lora_A and lora_B per module.
        struct Pair {
            var a: String?
            var b: String?
        }
        var pairs: [String: Pair] = [:]
        for tensor in file.tensors.keys.sorted() {
            let (module, role) = try parse(tensor, path: path)
            if role == "lora_A" {
                pairs[module, default: Pair()].a = tensor
            } else {
                pairs[module, default: Pair()].b = tensor
            }
        }
        guard !pairs.isEmpty else {
            throw .unsupportedTensor(path: path, tensor: "(none)", reason: "the file holds no LoRA tensors")
        }

        var updates: [Int: [ProjectionTarget: LowRankUpdate]] = [:]
        var targets = Set<String>()
        for (module, pair) in pairs.sorted(by: { $0.key < $1.key }) {
            guard let aName = pair.a, let bName = pair.b else {
                throw .unpairedTensor(path: path, tensor: pair.a ?? pair.b ?? module)
            }
            let (layer, projectionName) = try locate(module, tensor: aName, path: path)
            guard layer < base.layerCount else {
                throw .unsupportedTensor(
                    path: path, tensor: aName,
                    reason: "layer \(layer) does not exist in a base model of \(base.layerCount) layers")
            }
            guard let projection = projections[projectionName] else {
                throw .unsupportedTensor(path: path, tensor: aName, reason: "'\(projectionName)' is not a projection")
            }
            let (inputs, outputs) = shape(of: projection, base)
            let (rank, scale) = configuration.rankAndScale(forModule: module)
            let a = try floats(file, aName, shape: [rank, inputs], path: path)
            var b = try floats(file, bName, shape: [outputs, rank], path: path)
            // llama GGUFs store q and k rows permuted for adjacent-pair RoPE: B's rows must follow.
            if base.ropeLayout == .normal && (projection == .query || projection == .key) {
                b = permuteRows(b, rank: rank, headSize: base.headSize)
            }
            updates[layer, default: [:]][projection] = LowRankUpdate(
                rank: rank, inputs: inputs, outputs: outputs, a: a, b: b, scale: Float(scale))
            targets.insert(projectionName)
        }
        let summary = AdapterSummary(
            rank: configuration.rank, alpha: configuration.alpha, targets: targets.sorted(),
            baseModel: configuration.baseModel, usesRSLoRA: configuration.usesRSLoRA)
        return LoRAAdapter(name: name ?? directory.lastPathComponent, updates: updates, summary: summary)
    }

    /// (inputs, outputs) of a projection in the base model.
    static func shape(of projection: ProjectionTarget, _ c: LlamaConfiguration) -> (Int, Int) {
        switch projection {
        case .query: return (c.width, c.queryWidth)
        case .key, .value: return (c.width, c.keyValueWidth)
        case .output: return (c.queryWidth, c.width)
        case .gate, .up: return (c.width, c.feedForwardWidth)
        case .down: return (c.feedForwardWidth, c.width)
        }
    }

    /// Splits "base_model.model.model.layers.3.self_attn.q_proj.lora_A.weight" into the module
    /// name ("model.layers.3.self_attn.q_proj") and the role ("lora_A").
    static func parse(_ tensor: String, path: String) throws(AdapterError) -> (module: String, role: String) {
        var parts = tensor.split(separator: ".").map(String.init)
        if parts.last == "weight" { parts.removeLast() }
        // PEFT keeps the adapter's name between the role and "weight" in some versions.
        if parts.count >= 2, parts[parts.count - 2] == "lora_A" || parts[parts.count - 2] == "lora_B" {
            parts.removeLast()
        }
        guard let role = parts.last, role == "lora_A" || role == "lora_B" else {
            let reason =
                tensor.contains("lora_magnitude_vector")
                ? "DoRA magnitude vectors are not supported"
                : tensor.contains("lora_embedding")
                    ? "embedding adapters are not supported"
                    : tensor.hasSuffix("bias") ? "LoRA biases are not supported" : "not a lora_A or lora_B weight"
            throw .unsupportedTensor(path: path, tensor: tensor, reason: reason)
        }
        parts.removeLast()
        while parts.first == "base_model" || (parts.first == "model" && parts.dropFirst().first == "model") {
            parts.removeFirst()
        }
        return (parts.joined(separator: "."), role)
    }

    /// The layer index and projection name of a module "model.layers.L.(self_attn|mlp).NAME".
    static func locate(_ module: String, tensor: String, path: String) throws(AdapterError) -> (Int, String) {
        let parts = module.split(separator: ".").map(String.init)
        guard let index = parts.firstIndex(of: "layers"), index + 1 < parts.count, let name = parts.last else {
            let reason =
                module.contains("embed_tokens") || module.contains("lm_head")
                ? "adapters on the embeddings or the output head are not supported"
                : "not a module inside a decoder layer"
            throw .unsupportedTensor(path: path, tensor: tensor, reason: reason)
        }
        // Digits only: `Int` also reads "-1" and "+3", which name no layer (a -1 was once kept and silently
        // never applied); past Int's range `Int` gives nil. A layer past the base's is the caller's to refuse.
        let number = parts[index + 1]
        guard !number.isEmpty, number.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
            let layer = Int(number)
        else {
            throw .unsupportedTensor(
                path: path, tensor: tensor, reason: "layer '\(number)' is not a layer number (digits, from 0)")
        }
        return (layer, name)
    }

    static func floats(_ file: SafetensorsFile, _ name: String, shape: [Int], path: String) throws(AdapterError)
        -> [Float]
    {
        guard let info = file.tensors[name] else { throw .unpairedTensor(path: path, tensor: name) }
        guard info.shape == shape else {
            throw .shapeMismatch(path: path, tensor: name, expected: shape, found: info.shape)
        }
        let values: [Float]
        do { values = try file.floats(name) } catch { throw .unreadable(path: path, reason: "\(error)") }
        guard values.allSatisfy(\.isFinite) else { throw .nonFiniteWeights(path: path, tensor: name) }
        return values
    }

    /// Rows of B in llama.cpp's q/k order: GGUF row h·d + 2i + j is Hugging Face row h·d + j·d/2 + i.
    static func permuteRows(_ b: [Float], rank: Int, headSize: Int) -> [Float] {
        let rows = b.count / rank
        let half = headSize / 2
        var out = [Float](repeating: 0, count: b.count)
        for head in 0..<(rows / headSize) {
            for i in 0..<half {
                for j in 0..<2 {
                    let target = head * headSize + 2 * i + j
                    let source = head * headSize + j * half + i
                    for r in 0..<rank { out[target * rank + r] = b[source * rank + r] }
                }
            }
        }
        return out
    }
}
