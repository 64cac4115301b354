import Foundation
import ModelFiles

/// Small valid model files built in code: a tiny llama/qwen2 GGUF, a byte-level BPE vocabulary, safetensors.
///
/// The fuzz targets in Fuzz/ start their corpora from them and the tests of hostile files use them as the
/// base an input is checked against. Built rather than checked in, so that no model weights enter the
/// repository and each file stays a few kilobytes; deterministic, so they are the same on every run.
public enum SampleFiles {
    /// A deterministic stream of bytes (SplitMix64), so that the seeds are the same on every run.
    public struct Bytes {
        private var state: UInt64

        public init(seed: UInt64) { state = seed }

        public mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }

        public mutating func bytes(_ count: Int) -> [UInt8] {
            (0..<count).map { _ in UInt8(truncatingIfNeeded: next()) }
        }

        /// A float in [-scale, scale).
        public mutating func float(scale: Float) -> Float {
            (Float(next() >> 40) / Float(1 << 24) * 2 - 1) * scale
        }
    }

    // MARK: - GGUF

    /// The bytes of a GGUF v3 file, written by the product's own `GGUFWriter`.
    public static func gguf(
        metadata: [(key: String, value: GGUFValue)], tensors: [GGUFWriter.Tensor], alignment: Int = 32
    ) throws -> [UInt8] {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rag-fuzz-seed-\(getpid()).gguf")
        defer { try? FileManager.default.removeItem(at: url) }
        try GGUFWriter(metadata: metadata, tensors: tensors, alignment: alignment).write(to: url)
        return Array(try Data(contentsOf: url))
    }

    /// `count` elements of `type` for a tensor whose rows hold `rowLength` elements: random values with
    /// finite block scales.
    public static func tensorBytes(_ type: GGUFTensorType, count: Int, random: inout Bytes) -> Data {
        var data = Data()
        func half(_ value: Float) {
            withUnsafeBytes(of: Float16(value).bitPattern.littleEndian) { data.append(contentsOf: $0) }
        }
        switch type {
        case .f32:
            for _ in 0..<count {
                withUnsafeBytes(of: random.float(scale: 0.5).bitPattern.littleEndian) { data.append(contentsOf: $0) }
            }
        case .f16:
            for _ in 0..<count { half(random.float(scale: 0.5)) }
        case .q8Zero:
            for _ in 0..<(count / 32) {
                half(0.004)
                data.append(contentsOf: random.bytes(32))
            }
        case .q4Zero:
            for _ in 0..<(count / 32) {
                half(0.03)
                data.append(contentsOf: random.bytes(16))
            }
        case .q4One:
            for _ in 0..<(count / 32) {
                half(0.03)
                half(-0.2)
                data.append(contentsOf: random.bytes(16))
            }
        default:
            fatalError("no seed bytes for \(type)")
        }
        return data
    }

    // MARK: - Byte-level BPE vocabulary

    /// GPT-2's byte-level alphabet: printable Latin-1 bytes stand for themselves, the other 68 bytes for
    /// U+0100 upwards in byte order (so a space is `Ġ`, U+0120).
    public static let byteAlphabet: [String] = {
        let printable = Set(Array(33...126) + Array(161...172) + Array(174...255))
        var next = 256
        return (0..<256).map { byte in
            if printable.contains(byte) { return String(UnicodeScalar(UInt8(byte))) }
            defer { next += 1 }
            return String(UnicodeScalar(UInt32(next))!)
        }
    }()

    /// The byte tokens, three merges (`Ġ t`, `h e`, `Ġt he`) and ChatML's special tokens: 262 tokens.
    public static let tokens: [String] =
        byteAlphabet + ["Ġt", "he", "Ġthe", "<|endoftext|>", "<|im_start|>", "<|im_end|>"]
    public static let merges = ["Ġ t", "h e", "Ġt he"]
    public static let tokenTypes: [Int32] = Array(repeating: 1, count: 259) + [3, 3, 3]
    public static let chatTemplate =
        "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}"
        + "{{ '<|im_start|>system\nYou are a helpful AI assistant named SmolLM<|im_end|>\n' }}{% endif %}"
        + "{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}"
        + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"

    /// The `tokenizer.ggml.*` entries of that vocabulary.
    public static func tokenizerMetadata(pre: String = "smollm") -> [(key: String, value: GGUFValue)] {
        [
            ("tokenizer.ggml.model", .string("gpt2")),
            ("tokenizer.ggml.pre", .string(pre)),
            ("tokenizer.ggml.tokens", .array(.string(tokens))),
            ("tokenizer.ggml.token_type", .array(.int32(tokenTypes))),
            ("tokenizer.ggml.merges", .array(.string(merges))),
            ("tokenizer.ggml.bos_token_id", .uint32(259)),
            ("tokenizer.ggml.eos_token_id", .uint32(261)),
            ("tokenizer.ggml.padding_token_id", .uint32(259)),
            ("tokenizer.chat_template", .string(chatTemplate)),
        ]
    }

    // MARK: - A tiny llama-family model

    /// One layer, width 32, two query heads of 16 sharing one key/value head, a feed-forward of 32, 262
    /// tokens: every tensor type the runtime multiplies appears once. qwen2 adds the q/k/v biases and an
    /// untied output matrix.
    public static func tinyModel(architecture: String = "llama", seed: UInt64 = 1) throws -> [UInt8] {
        let (width, headSize, heads, keyValueHeads, feedForward) = (32, 16, 2, 1, 32)
        let vocabulary = tokens.count
        var random = Bytes(seed: seed)
        var tensors: [GGUFWriter.Tensor] = []
        func add(_ name: String, _ dimensions: [Int], _ type: GGUFTensorType) {
            let count = dimensions.reduce(1, *)
            tensors.append(
                GGUFWriter.Tensor(
                    name: name, dimensions: dimensions, type: type,
                    bytes: tensorBytes(type, count: count, random: &random)))
        }
        add("token_embd.weight", [width, vocabulary], .f16)
        add("output_norm.weight", [width], .f32)
        if architecture == "qwen2" { add("output.weight", [width, vocabulary], .q8Zero) }
        let p = "blk.0."
        add(p + "attn_norm.weight", [width], .f32)
        add(p + "attn_q.weight", [width, heads * headSize], .q8Zero)
        add(p + "attn_k.weight", [width, keyValueHeads * headSize], .q4Zero)
        add(p + "attn_v.weight", [width, keyValueHeads * headSize], .q4One)
        if architecture == "qwen2" {
            add(p + "attn_q.bias", [heads * headSize], .f32)
            add(p + "attn_k.bias", [keyValueHeads * headSize], .f32)
            add(p + "attn_v.bias", [keyValueHeads * headSize], .f16)
        }
        add(p + "attn_output.weight", [heads * headSize, width], .f16)
        add(p + "ffn_norm.weight", [width], .f16)
        add(p + "ffn_gate.weight", [width, feedForward], .f32)
        add(p + "ffn_up.weight", [width, feedForward], .q4One)
        add(p + "ffn_down.weight", [feedForward, width], .q8Zero)

        let a = architecture + "."
        let metadata: [(key: String, value: GGUFValue)] =
            [
                ("general.architecture", .string(architecture)),
                ("general.name", .string("tiny \(architecture)")),
                (a + "block_count", .uint32(1)),
                (a + "context_length", .uint32(64)),
                (a + "embedding_length", .uint32(UInt32(width))),
                (a + "feed_forward_length", .uint32(UInt32(feedForward))),
                (a + "attention.head_count", .uint32(UInt32(heads))),
                (a + "attention.head_count_kv", .uint32(UInt32(keyValueHeads))),
                (a + "rope.freq_base", .float32(10_000)),
                (a + "attention.layer_norm_rms_epsilon", .float32(1e-5)),
            ] + tokenizerMetadata()
        return try gguf(metadata: metadata, tensors: tensors)
    }

    // MARK: - safetensors

    /// A safetensors file: the 8-byte header length, the JSON header (tensors in the order given, then
    /// `__metadata__`), the tensors' bytes back to back.
    public static func safetensors(
        _ tensors: [(name: String, dtype: String, shape: [Int], bytes: [UInt8])], metadata: [String: String] = [:]
    ) -> [UInt8] {
        var entries: [String] = []
        var data: [UInt8] = []
        for tensor in tensors {
            let begin = data.count
            data += tensor.bytes
            let shape = tensor.shape.map(String.init).joined(separator: ",")
            entries.append(
                "\"\(tensor.name)\":{\"dtype\":\"\(tensor.dtype)\",\"shape\":[\(shape)],"
                    + "\"data_offsets\":[\(begin),\(data.count)]}")
        }
        if !metadata.isEmpty {
            let members = metadata.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\"\($0.value)\"" }
            entries.append("\"__metadata__\":{\(members.joined(separator: ","))}")
        }
        var header = Array("{\(entries.joined(separator: ","))}".utf8)
        while header.count % 8 != 0 { header.append(UInt8(ascii: " ")) }
        return withUnsafeBytes(of: UInt64(header.count).littleEndian) { Array($0) } + header + data
    }

    /// `count` float32 values in [-scale, scale) as little-endian bytes.
    public static func float32Bytes(_ count: Int, scale: Float = 0.1, random: inout Bytes) -> [UInt8] {
        (0..<count).flatMap { _ in withUnsafeBytes(of: random.float(scale: scale).bitPattern.littleEndian) { Array($0) }
        }
    }
}
