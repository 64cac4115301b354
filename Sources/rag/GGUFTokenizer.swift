import Foundation
import ModelFiles
import Tokenizers

/// `GGUFFile` already has every metadata accessor the tokenizer asks for; this line is all the glue there is
/// between the two modules, which may not import each other.
extension GGUFFile: GGUFTokenizerMetadata {}

/// The byte-level BPE tokenizer of a GGUF language model.
enum GGUFTokenizer {
    /// Opens `url` and builds its tokenizer; errors name the file (and the key, for bad metadata).
    static func load(_ url: URL) throws -> BytePairTokenizer {
        let file = try GGUFFile(url: url)
        return try BytePairTokenizer(configuration: BytePairConfiguration(metadata: file))
    }
}
