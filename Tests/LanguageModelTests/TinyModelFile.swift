import Foundation

/// A small llama or qwen2 model with random weights, written as a real GGUF v3 file, and a plain
/// scalar forward pass over the same weights: a check of the runtime that does not rest on
/// SmolLM2 alone (qwen2's biases and half-split RoPE, GQA, untied output).
struct TinyModelFile {
    let architecture: String
    let layers = 2
    let width = 64
    let heads = 4
    let kvHeads = 2
    let headSize = 16
    let ffn = 96
    let context = 64
    let ropeBase: Float = 10_000
    let epsilon: Float = 1e-6
    let tiedOutput: Bool
    /// 256 byte tokens, then <|endoftext|>, <|im_start|>, <|im_end|>.
    var vocabulary: Int { 259 }
    var hasBiases: Bool { architecture == "qwen2" }

    private(set) var tensors: [(name: String, shape: [Int], values: [Float])] = []

    init(architecture: String, tiedOutput: Bool, seed: UInt64) {
        self.architecture = architecture
        self.tiedOutput = tiedOutput
        var state = seed
        func random() -> Float {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            return Float(Double(z >> 11) / Double(1 << 53)) * 2 - 1
        }
        func add(_ name: String, _ shape: [Int], scale: Float, offset: Float = 0) {
            let count = shape.reduce(1, *)
            tensors.append((name, shape, (0..<count).map { _ in offset + scale * random() }))
        }
        // GGUF shapes are [columns, rows].
        add("token_embd.weight", [width, vocabulary], scale: 0.5)
        add("output_norm.weight", [width], scale: 0.1, offset: 1)
        if !tiedOutput { add("output.weight", [width, vocabulary], scale: 0.2) }
        for layer in 0..<layers {
            let p = "blk.\(layer)."
            add(p + "attn_norm.weight", [width], scale: 0.1, offset: 1)
            add(p + "attn_q.weight", [width, heads * headSize], scale: 0.2)
            add(p + "attn_k.weight", [width, kvHeads * headSize], scale: 0.2)
            add(p + "attn_v.weight", [width, kvHeads * headSize], scale: 0.2)
            if hasBiases {
                add(p + "attn_q.bias", [heads * headSize], scale: 0.1)
                add(p + "attn_k.bias", [kvHeads * headSize], scale: 0.1)
                add(p + "attn_v.bias", [kvHeads * headSize], scale: 0.1)
            }
            add(p + "attn_output.weight", [heads * headSize, width], scale: 0.2)
            add(p + "ffn_norm.weight", [width], scale: 0.1, offset: 1)
            add(p + "ffn_gate.weight", [width, ffn], scale: 0.2)
            add(p + "ffn_up.weight", [width, ffn], scale: 0.2)
            add(p + "ffn_down.weight", [ffn, width], scale: 0.2)
        }
    }

    func tensor(_ name: String) -> [Float] { tensors.first { $0.name == name }!.values }

    // MARK: - The file

    /// GPT-2's byte-to-character table: printable bytes stand for themselves, the rest map above 255.
    static var byteTokens: [String] {
        var printable = Array(33...126) + Array(161...172) + Array(174...255)
        var codes = printable
        var next = 0
        for byte in 0..<256 where !printable.contains(byte) {
            printable.append(byte)
            codes.append(256 + next)
            next += 1
        }
        var tokens = [String](repeating: "", count: 256)
        for (byte, code) in zip(printable, codes) { tokens[byte] = String(UnicodeScalar(UInt32(code))!) }
        return tokens
    }

    func write(to url: URL) throws {
        var out: [UInt8] = []
        func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { out += $0 } }
        func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { out += $0 } }
        func f32(_ v: Float) { withUnsafeBytes(of: v.bitPattern.littleEndian) { out += $0 } }
        func string(_ s: String) {
            u64(UInt64(s.utf8.count))
            out += Array(s.utf8)
        }
        enum Value {
            case string(String)
            case uint32(UInt32)
            case float32(Float)
            case bool(Bool)
            case strings([String])
            case int32s([Int32])
        }
        let a = architecture
        let metadata: [(String, Value)] = [
            ("general.architecture", .string(a)),
            ("general.alignment", .uint32(32)),
            ("\(a).block_count", .uint32(UInt32(layers))),
            ("\(a).embedding_length", .uint32(UInt32(width))),
            ("\(a).feed_forward_length", .uint32(UInt32(ffn))),
            ("\(a).attention.head_count", .uint32(UInt32(heads))),
            ("\(a).attention.head_count_kv", .uint32(UInt32(kvHeads))),
            ("\(a).context_length", .uint32(UInt32(context))),
            ("\(a).rope.freq_base", .float32(ropeBase)),
            ("\(a).attention.layer_norm_rms_epsilon", .float32(epsilon)),
            ("tokenizer.ggml.model", .string("gpt2")),
            ("tokenizer.ggml.pre", .string(a == "qwen2" ? "qwen2" : "smollm")),
            ("tokenizer.ggml.tokens", .strings(Self.byteTokens + ["<|endoftext|>", "<|im_start|>", "<|im_end|>"])),
            ("tokenizer.ggml.token_type", .int32s(Array(repeating: 1, count: 256) + [3, 3, 3])),
            ("tokenizer.ggml.merges", .strings([])),
            ("tokenizer.ggml.eos_token_id", .uint32(258)),
            ("tokenizer.ggml.add_bos_token", .bool(false)),
            (
                "tokenizer.chat_template",
                .string(
                    "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] "
                        + "+ '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}"
                        + "{{ '<|im_start|>assistant\\n' }}{% endif %}")
            ),
        ]
        out += Array("GGUF".utf8)
        u32(3)
        u64(UInt64(tensors.count))
        u64(UInt64(metadata.count))
        for (key, value) in metadata {
            string(key)
            switch value {
            case .string(let s):
                u32(8)
                string(s)
            case .uint32(let v):
                u32(4)
                u32(v)
            case .float32(let v):
                u32(6)
                f32(v)
            case .bool(let v):
                u32(7)
                out.append(v ? 1 : 0)
            case .strings(let items):
                u32(9)
                u32(8)
                u64(UInt64(items.count))
                for item in items { string(item) }
            case .int32s(let items):
                u32(9)
                u32(5)
                u64(UInt64(items.count))
                for item in items { withUnsafeBytes(of: item.littleEndian) { out += $0 } }
            }
        }
        var offset = 0
        var offsets: [Int] = []
        for tensor in tensors {
            offsets.append(offset)
            offset += (tensor.values.count * 4 + 31) / 32 * 32
        }
        for (tensor, tensorOffset) in zip(tensors, offsets) {
            string(tensor.name)
            u32(UInt32(tensor.shape.count))
            for dimension in tensor.shape { u64(UInt64(dimension)) }
            u32(0)  // F32
            u64(UInt64(tensorOffset))
        }
        while out.count % 32 != 0 { out.append(0) }
        for tensor in tensors {
            for value in tensor.values { f32(value) }
            while out.count % 32 != 0 { out.append(0) }
        }
        try Data(out).write(to: url)
    }

    // MARK: - The scalar reference

    /// Last-position logits of `tokens`, in double precision, by the textbook formulas.
    func referenceLogits(_ tokens: [Int]) -> [Double] {
        func matrix(_ name: String) -> [[Double]] {
            let shape = tensors.first { $0.name == name }!.shape
            let values = tensor(name)
            return (0..<shape[1]).map { row in (0..<shape[0]).map { Double(values[row * shape[0] + $0]) } }
        }
        func vector(_ name: String) -> [Double] { tensor(name).map(Double.init) }
        func times(_ w: [[Double]], _ x: [Double]) -> [Double] {
            w.map { row in zip(row, x).reduce(0) { $0 + $1.0 * $1.1 } }
        }
        func rmsNorm(_ x: [Double], _ weight: [Double]) -> [Double] {
            let scale = 1 / (x.reduce(0) { $0 + $1 * $1 } / Double(x.count) + Double(epsilon)).squareRoot()
            return zip(x, weight).map { $0 * scale * $1 }
        }
        func rope(_ head: [Double], position: Int) -> [Double] {
            var out = head
            let half = headSize / 2
            for i in 0..<half {
                let angle = Double(position) * pow(Double(ropeBase), -2 * Double(i) / Double(headSize))
                // llama GGUFs rotate adjacent pairs; qwen2 pairs i and i + d/2.
                let (a, b) = architecture == "qwen2" ? (i, i + half) : (2 * i, 2 * i + 1)
                out[a] = head[a] * cos(angle) - head[b] * sin(angle)
                out[b] = head[a] * sin(angle) + head[b] * cos(angle)
            }
            return out
        }
        let embedding = matrix("token_embd.weight")
        var states = tokens.map { embedding[$0] }
        for layer in 0..<layers {
            let p = "blk.\(layer)."
            var keys: [[Double]] = []
            var values: [[Double]] = []
            var queries: [[Double]] = []
            for (position, x) in states.enumerated() {
                let h = rmsNorm(x, vector(p + "attn_norm.weight"))
                var q = times(matrix(p + "attn_q.weight"), h)
                var k = times(matrix(p + "attn_k.weight"), h)
                var v = times(matrix(p + "attn_v.weight"), h)
                if hasBiases {
                    q = zip(q, vector(p + "attn_q.bias")).map(+)
                    k = zip(k, vector(p + "attn_k.bias")).map(+)
                    v = zip(v, vector(p + "attn_v.bias")).map(+)
                }
                queries.append(
                    (0..<heads).flatMap { rope(Array(q[($0 * headSize)..<(($0 + 1) * headSize)]), position: position) })
                keys.append(
                    (0..<kvHeads).flatMap {
                        rope(Array(k[($0 * headSize)..<(($0 + 1) * headSize)]), position: position)
                    })
                values.append(v)
            }
            for position in states.indices {
                var attended = [Double](repeating: 0, count: heads * headSize)
                for head in 0..<heads {
                    let kv = head / (heads / kvHeads)
                    let q = Array(queries[position][(head * headSize)..<((head + 1) * headSize)])
                    let scores = (0...position).map { j in
                        zip(q, keys[j][(kv * headSize)..<((kv + 1) * headSize)]).reduce(0) { $0 + $1.0 * $1.1 }
                            / Double(headSize).squareRoot()
                    }
                    let top = scores.max()!
                    let weights = scores.map { exp($0 - top) }
                    let total = weights.reduce(0, +)
                    for j in 0...position {
                        for d in 0..<headSize {
                            attended[head * headSize + d] += weights[j] / total * values[j][kv * headSize + d]
                        }
                    }
                }
                states[position] = zip(states[position], times(matrix(p + "attn_output.weight"), attended)).map(+)
                let h = rmsNorm(states[position], vector(p + "ffn_norm.weight"))
                let gate = times(matrix(p + "ffn_gate.weight"), h)
                let up = times(matrix(p + "ffn_up.weight"), h)
                let mixed = zip(gate, up).map { g, u in g / (1 + exp(-g)) * u }
                states[position] = zip(states[position], times(matrix(p + "ffn_down.weight"), mixed)).map(+)
            }
        }
        let last = rmsNorm(states[states.count - 1], vector("output_norm.weight"))
        return times(matrix(tiedOutput ? "token_embd.weight" : "output.weight"), last)
    }
}
