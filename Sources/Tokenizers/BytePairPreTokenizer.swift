/// Stage 1 of the byte-level BPE pipeline: splits text into the words that BPE merges within.
///
/// A GGUF names its pre-tokenizer in `tokenizer.ggml.pre`; llama.cpp turns each name into a chain of
/// regexes, each applied to every piece the previous one produced (text between matches stays a piece of
/// its own). The chains are reproduced here with hand-written scanners over Unicode scalars instead of a
/// regex engine, which is both faster and free of engine differences in `\p{…}`:
///
/// | kind | llama.cpp names | chain |
/// |---|---|---|
/// | `smollm` | smollm, starcoder, refact, command-r, codeshell, exaone, minerva-7b | `\p{N}`, then GPT-2 |
/// | `gpt2` | gpt2, gpt-2, phi-2, mpt, olmo, jais | GPT-2 |
/// | `qwen2` | qwen2, deepseek-r1-qwen, megrez, stablelm2 | Qwen2 (Llama 3's with single digits) |
/// | `llama3` | llama3, llama-v3, llama-bpe, falcon3, falcon-h1, pixtral, dbrx, smaug-bpe | Llama 3 |
/// | `standard` | default, or no name | punctuation runs, GPT-2, `\p{N}+`, `[0-9]{3}` |
///
/// GPT-2: `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`.
/// Llama 3: `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|
/// \s*[\r\n]+|\s+(?!\S)|\s+`; Qwen2 has `\p{N}` where Llama 3 has `\p{N}{1,3}`.
struct BytePairPreTokenizer: Sendable, Equatable {
    enum Kind: String, Sendable, CaseIterable {
        case smollm
        case gpt2
        case qwen2
        case llama3
        case standard = "default"
    }

    /// One regex of a chain.
    enum Stage: Sendable, Equatable {
        /// `\p{N}`: every number character alone.
        case eachNumber
        /// The GPT-2 regex.
        case gpt2
        /// The Llama 3 regex, with numbers in groups of up to `digits`.
        case llama3(digits: Int)
        /// `[\p{P}$+<=>^~|]+`.
        case punctuationRuns
        /// `\p{N}+`.
        case numberRuns
        /// `[0-9][0-9][0-9]`.
        case asciiDigitTriples
    }

    let kind: Kind

    /// The kind llama.cpp gives the name; nil for a name it treats otherwise (or not at all).
    static func kind(named name: String) -> Kind? {
        switch name {
        case "", "default": return .standard
        case "smollm", "starcoder", "refact", "command-r", "codeshell", "exaone", "minerva-7b": return .smollm
        case "gpt2", "gpt-2", "phi-2", "mpt", "olmo", "jais": return .gpt2
        case "qwen2", "deepseek-r1-qwen", "megrez", "stablelm2": return .qwen2
        case "llama3", "llama-v3", "llama-bpe", "falcon3", "falcon-h1", "pixtral", "dbrx", "smaug-bpe": return .llama3
        default: return nil
        }
    }

    /// Names after which llama.cpp looks a whole word up in the vocabulary before merging, and adds BOS unless
    /// the file says otherwise.
    static func isLlama3Family(_ name: String) -> Bool {
        ["llama3", "llama-v3", "llama-bpe", "falcon3", "falcon-h1", "pixtral"].contains(name)
    }

    var stages: [Stage] {
        switch kind {
        case .smollm: return [.eachNumber, .gpt2]
        case .gpt2: return [.gpt2]
        case .qwen2: return [.llama3(digits: 1)]
        case .llama3: return [.llama3(digits: 3)]
        case .standard: return [.punctuationRuns, .gpt2, .numberRuns, .asciiDigitTriples]
        }
    }

    /// Appends the words of `text[range]` to `words`, as ranges into `text`, in order and covering it.
    /// - Complexity: O(n) per stage.
    func split(_ text: [Unicode.Scalar], range: Range<Int>, into words: inout [Range<Int>]) {
        guard !range.isEmpty else { return }
        let scanner = PreTokenizerScanner(text: text, range: range)
        var pieces = [range]
        var next: [Range<Int>] = []
        for stage in stages {
            next.removeAll(keepingCapacity: true)
            for piece in pieces { scanner.split(piece, by: stage, into: &next) }
            swap(&pieces, &next)
        }
        words.append(contentsOf: pieces)
    }
}
