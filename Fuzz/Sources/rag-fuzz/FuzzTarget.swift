import Foundation

/// One kind of file rag takes from outside, and the reader it is fed to.
///
/// `run` returns when the reader parses the input or refuses it with its module's typed error naming the
/// file; anything else traps, and libFuzzer records the input as a crash: a trap inside a reader (an index
/// out of range, an arithmetic overflow, a force-unwrap), an invariant the parse breaks (a tensor outside
/// the file, a section whose offset points elsewhere), or an error that does not say which file it is about.
protocol FuzzTarget: AnyObject {
    /// The name on the command line and of its corpus folder: `gguf`, `html`.
    static var name: String { get }
    /// What an input is, for `rag-fuzz list`.
    static var summary: String { get }
    /// Small valid inputs for libFuzzer to start from.
    static func seeds() throws -> [Seed]

    init() throws
    func run(_ input: UnsafeRawBufferPointer)
}

/// A seed input and its file name in the corpus.
struct Seed {
    var name: String
    var bytes: [UInt8]

    init(_ name: String, _ bytes: [UInt8]) {
        self.name = name
        self.bytes = bytes
    }

    init(_ name: String, text: String) {
        self.init(name, Array(text.utf8))
    }
}

/// Every target, in the order `make fuzz` runs them.
func allFuzzTargets() -> [any FuzzTarget.Type] {
    [
        GGUFTarget.self, GGUFModelTarget.self, BytePairTokenizerTarget.self, SafetensorsTarget.self,
        AdapterTarget.self, WordPieceTarget.self, HTMLTarget.self, MarkdownTarget.self,
    ]
}

/// Stops the process with `message`; libFuzzer keeps the input that got here.
func fuzzFailure(_ message: @autoclosure () -> String, file: StaticString = #file, line: UInt = #line) -> Never {
    fatalError("rag-fuzz: \(message())", file: file, line: line)
}

/// Traps unless `error` is of the reader's error type `E` and its message names `path`.
func requireNamesFile<E: Error>(_ error: any Error, _: E.Type, path: String) {
    guard error is E else {
        fuzzFailure("expected a \(E.self), got \(type(of: error)): \(error)")
    }
    guard String(describing: error).contains(path) else {
        fuzzFailure("the error does not name the file \(path): \(error)")
    }
}
