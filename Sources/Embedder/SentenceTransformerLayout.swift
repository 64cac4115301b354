import Foundation
import StrictJSON

/// How to pool token vectors into one sentence vector (`1_Pooling/config.json`).
///
/// Several modes may be on at once; sentence-transformers then concatenates them in this order:
/// CLS, max, mean, mean divided by √length.
public struct PoolingModes: Sendable, Equatable {
    public var cls = false
    public var max = false
    public var mean = true
    public var meanSquareRootLength = false

    var count: Int { [cls, max, mean, meanSquareRootLength].filter { $0 }.count }
}

/// The sentence-transformers layout of a model folder: `modules.json`, `sentence_bert_config.json`
/// and the pooling module's configuration.
///
/// A folder without `modules.json` is treated as a plain BERT checkpoint with mean pooling and
/// normalisation, the common way such encoders are used for retrieval.
struct SentenceTransformerLayout {
    var maxSequenceLength: Int?
    var lowercaseInput = false
    var pooling = PoolingModes()
    var normalize = true

    static let transformerType = "sentence_transformers.models.Transformer"
    static let poolingType = "sentence_transformers.models.Pooling"
    static let normalizeType = "sentence_transformers.models.Normalize"

    init(folder: URL) throws(EmbedderError) {
        let modulesURL = folder.appendingPathComponent("modules.json")
        if FileManager.default.fileExists(atPath: modulesURL.path) {
            try readModules(modulesURL, folder: folder)
        }
        let sbertURL = folder.appendingPathComponent("sentence_bert_config.json")
        if FileManager.default.fileExists(atPath: sbertURL.path) {
            let config = try JSONObjectFile(url: sbertURL)
            if config.has("max_seq_length") {
                let length = try config.int("max_seq_length")
                guard length >= 2 else {
                    throw .invalidConfiguration(
                        path: sbertURL.path, field: "max_seq_length", reason: "must be at least 2, found \(length)")
                }
                maxSequenceLength = length
            }
            lowercaseInput = try config.bool("do_lower_case", default: false)
        }
    }

    private mutating func readModules(_ url: URL, folder: URL) throws(EmbedderError) {
        guard let modules = try JSONObjectFile.parse(url).arrayItems else {
            throw .unreadableConfiguration(path: url.path, reason: "is not a JSON array of modules")
        }
        normalize = false
        var sawPooling = false
        for module in modules {
            let type = module["type"]?.string ?? "(none)"
            switch type {
            case Self.transformerType:
                continue
            case Self.poolingType:
                let path = module["path"]?.string ?? "1_Pooling"
                pooling = try Self.readPooling(
                    folder.appendingPathComponent(path).appendingPathComponent("config.json"))
                sawPooling = true
            case Self.normalizeType:
                normalize = true
            default:
                throw .unsupported(
                    path: url.path, field: "type",
                    found: "'\(type)' (supported modules: Transformer, Pooling, Normalize)")
            }
        }
        if !sawPooling { pooling = PoolingModes() }
    }

    private static func readPooling(_ url: URL) throws(EmbedderError) -> PoolingModes {
        let config = try JSONObjectFile(url: url)
        var modes = PoolingModes()
        modes.cls = try config.bool("pooling_mode_cls_token", default: false)
        modes.max = try config.bool("pooling_mode_max_tokens", default: false)
        modes.mean = try config.bool("pooling_mode_mean_tokens", default: false)
        modes.meanSquareRootLength = try config.bool("pooling_mode_mean_sqrt_len_tokens", default: false)
        for field in ["pooling_mode_weightedmean_tokens", "pooling_mode_lasttoken"] {
            if try config.bool(field, default: false) {
                throw .unsupported(path: url.path, field: field, found: "true")
            }
        }
        guard modes.count > 0 else {
            throw .invalidConfiguration(path: url.path, field: "pooling_mode_*", reason: "turns every pooling mode off")
        }
        return modes
    }
}
