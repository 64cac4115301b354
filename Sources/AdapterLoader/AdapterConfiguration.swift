import Foundation
import StrictJSON

/// The fields of PEFT's `adapter_config.json` that decide how a LoRA adapter is applied.
public struct AdapterConfiguration: Sendable, Equatable {
    public var rank: Int
    public var alpha: Double
    /// Module names (matched as a suffix, as PEFT does) or one regular expression (a full match).
    public var targetModules: TargetModules
    public var usesRSLoRA: Bool
    /// Per-module rank and alpha overrides: keys are patterns matched against the end of the module name.
    public var rankPattern: [(key: String, value: Int)]
    public var alphaPattern: [(key: String, value: Double)]
    public var baseModel: String?

    public enum TargetModules: Sendable, Equatable {
        case names([String])
        case expression(String)
    }

    public static func == (lhs: AdapterConfiguration, rhs: AdapterConfiguration) -> Bool {
        lhs.rank == rhs.rank && lhs.alpha == rhs.alpha && lhs.targetModules == rhs.targetModules
            && lhs.usesRSLoRA == rhs.usesRSLoRA && lhs.baseModel == rhs.baseModel
            && lhs.rankPattern.map(\.key) == rhs.rankPattern.map(\.key)
            && lhs.rankPattern.map(\.value) == rhs.rankPattern.map(\.value)
            && lhs.alphaPattern.map(\.key) == rhs.alphaPattern.map(\.key)
            && lhs.alphaPattern.map(\.value) == rhs.alphaPattern.map(\.value)
    }

    /// Parses and checks `adapter_config.json`; refuses what the runtime cannot apply exactly.
    public init(contentsOf url: URL) throws(AdapterError) {
        let path = url.path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadable(path: path, reason: "adapter_config.json is missing or unreadable")
        }
        let json: JSONValue
        do { json = try JSONParser.parse(Array(data)) } catch {
            throw .invalidConfiguration(path: path, field: "(file)", reason: "is not valid JSON: \(error)")
        }
        guard json.objectMembers != nil else {
            throw .invalidConfiguration(path: path, field: "(file)", reason: "must be a JSON object")
        }
        func invalid(_ field: String, _ reason: String) -> AdapterError {
            .invalidConfiguration(path: path, field: field, reason: reason)
        }
        func unsupported(_ field: String, _ reason: String) -> AdapterError {
            .unsupportedOption(path: path, field: field, reason: reason)
        }

        if let type = json["peft_type"], !type.isNull, type.string?.uppercased() != "LORA" {
            throw unsupported("peft_type", "only LORA adapters can be applied, this is \(type.summary)")
        }
        guard let rank = json["r"]?.int, rank > 0 else { throw invalid("r", "must be a whole number above 0") }
        guard let alpha = json["lora_alpha"]?.double, Self.isUsableAlpha(alpha) else {
            throw invalid("lora_alpha", "must be a finite number of at most \(Float.greatestFiniteMagnitude) in size")
        }
        self.rank = rank
        self.alpha = alpha
        usesRSLoRA = json["use_rslora"]?.bool ?? false

        switch json["target_modules"] {
        case .some(let value) where value.string != nil:
            let expression = value.string!
            do { _ = try Regex(expression) } catch {
                throw invalid("target_modules", "is not a valid regular expression: \(error)")
            }
            if let hazard = Self.backtrackingHazard(in: expression) { throw invalid("target_modules", hazard) }
            targetModules = .expression(expression)
        case .some(let value) where value.arrayItems != nil:
            let names = value.arrayItems!.compactMap(\.string)
            guard names.count == value.arrayItems!.count, !names.isEmpty else {
                throw invalid("target_modules", "must be a non-empty list of module names")
            }
            targetModules = .names(names)
        default:
            throw invalid("target_modules", "must be a list of module names or a regular expression")
        }

        if json["use_dora"]?.bool == true {
            throw unsupported("use_dora", "DoRA rescales the merged weight's columns, which unmerged LoRA does not do")
        }
        if let modules = json["modules_to_save"], !modules.isNull, modules.arrayItems?.isEmpty != true {
            throw unsupported("modules_to_save", "the adapter replaces whole modules (\(modules.summary))")
        }
        if let bias = json["bias"]?.string, bias != "none" {
            throw unsupported("bias", "the adapter trains biases ('\(bias)'); only bias \"none\" is applied")
        }
        if json["lora_bias"]?.bool == true { throw unsupported("lora_bias", "LoRA biases are not applied") }
        if json["fan_in_fan_out"]?.bool == true {
            throw unsupported("fan_in_fan_out", "transposed (Conv1D) layers do not exist in llama models")
        }
        if let replication = json["layer_replication"], !replication.isNull {
            throw unsupported("layer_replication", "the adapter duplicates layers of the base model")
        }
        for field in ["use_qalora", "use_bdlora"] where json[field]?.bool == true {
            throw unsupported(field, "this LoRA variant changes the forward pass")
        }

        func pattern<T>(
            _ field: String, expected: String, _ convert: (JSONValue) -> T?
        ) throws(AdapterError) -> [(key: String, value: T)] {
            guard let value = json[field], !value.isNull else { return [] }
            guard let members = value.objectMembers else { throw invalid(field, "must be an object") }
            var result: [(key: String, value: T)] = []
            for member in members {
                // Each key is matched as PEFT matches it, `(.*\.)?(KEY)$`, against every module name.
                guard (try? Regex("(.*\\.)?(\(member.key))$")) != nil else {
                    throw invalid(field, "has the key '\(member.key)', which is not a valid regular expression")
                }
                if let hazard = Self.backtrackingHazard(in: member.key) {
                    throw invalid(field, "has the key '\(member.key)', which \(hazard)")
                }
                guard let converted = convert(member.value) else {
                    throw invalid(field, "has \(member.value.summary) for '\(member.key)', expected \(expected)")
                }
                result.append((member.key, converted))
            }
            return result
        }
        rankPattern = try pattern("rank_pattern", expected: "a whole number above 0") {
            $0.int.flatMap { $0 > 0 ? $0 : nil }
        }
        alphaPattern = try pattern("alpha_pattern", expected: "a finite number within float range") {
            $0.double.flatMap { Self.isUsableAlpha($0) ? $0 : nil }
        }
        baseModel = json["base_model_name_or_path"]?.string
    }

    /// Whether `alpha` gives a finite float scale: the scale is alpha / r (or / √r) with r ≥ 1, applied in
    /// float, so an alpha past float's range (1e300, or 1e999, which reads as infinity) would turn every output
    /// of the adapted projections into infinity or NaN.
    static func isUsableAlpha(_ alpha: Double) -> Bool {
        alpha.isFinite && abs(alpha) <= Double(Float.greatestFiniteMagnitude)
    }

    /// Whether the module named `name` (e.g. "model.layers.3.self_attn.q_proj") is a target.
    public func targets(_ name: String) -> Bool {
        switch targetModules {
        case .names(let names):
            return names.contains { name == $0 || name.hasSuffix("." + $0) }
        case .expression(let expression):
            return (try? Regex(expression).wholeMatch(in: name)) != nil
        }
    }

    /// The rank and scale of one module, after rank_pattern and alpha_pattern, as PEFT computes them.
    public func rankAndScale(forModule name: String) -> (rank: Int, scale: Double) {
        let rank = Self.patternValue(rankPattern, name) ?? self.rank
        let alpha = Self.patternValue(alphaPattern, name) ?? self.alpha
        let scale = usesRSLoRA ? alpha / Double(rank).squareRoot() : alpha / Double(rank)
        return (rank, scale)
    }

    /// The value of the first pattern key matching the end of `name` (PEFT: `(.*\.)?key$`).
    static func patternValue<T>(_ pattern: [(key: String, value: T)], _ name: String) -> T? {
        for (key, value) in pattern {
            if let regex = try? Regex("(.*\\.)?(\(key))$"), (try? regex.wholeMatch(in: name)) != nil {
                return value
            }
        }
        return nil
    }
}
