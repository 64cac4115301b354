/// A parsed JSON value, exactly as written.
///
/// Objects keep their members in file order as a list, not a dictionary: a name written twice stays visible (a
/// caller can refuse it), and `"é"` and `"e\u0301"` stay two keys, where a Swift `Dictionary` would merge them
/// (Swift compares strings by canonical equivalence). Integers that fit in `Int` are kept as such; every other
/// number keeps its literal text, so that `2.0` is not mistaken for `2` and `1e400` can be reported as written.
public enum JSONValue: Sendable {
    case null
    case bool(Bool)
    case integer(Int)
    /// A number with a fraction or exponent, or an integer outside `Int`'s range, as written.
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([Member])

    /// One `"key": value` pair of an object.
    public struct Member: Sendable {
        public let key: String
        public let value: JSONValue

        public init(key: String, value: JSONValue) {
            self.key = key
            self.value = value
        }
    }
}

extension JSONValue {
    /// The members of an object in file order, duplicates included; nil for any other value.
    public var objectMembers: [Member]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// The items of an array; nil for any other value.
    public var arrayItems: [JSONValue]? {
        if case .array(let items) = self { return items }
        return nil
    }

    /// The member named `key` of an object, compared byte by byte, not by canonical equivalence.
    ///
    /// The last one wins if the name is written twice, as in serde_json and JavaScript's `JSON.parse`; a caller
    /// that must refuse duplicates reads `objectMembers` instead.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.last(where: { $0.key.utf8.elementsEqual(key.utf8) })?.value
    }

    public var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    public var bool: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The value of an integer literal that fits in `Int`; nil for `2.0`, `2e0` and anything else.
    public var int: Int? {
        if case .integer(let value) = self { return value }
        return nil
    }

    /// Any number as a `Double`, rounded to the nearest; a literal beyond `Double`'s range gives ±infinity.
    public var double: Double? {
        switch self {
        case .integer(let value): return Double(value)
        case .number(let text): return Double(text)
        default: return nil
        }
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// How the value reads in an error message: its kind, and the value itself when it is short.
    public var summary: String {
        switch self {
        case .null: return "null"
        case .bool(let value): return "the boolean \(value)"
        case .integer(let value): return "the integer \(value)"
        case .number(let text): return "the number \(text)"
        case .string(let text):
            let shown = text.count > 40 ? String(text.prefix(40)) + "…" : text
            return "the string \"\(shown)\""
        case .array(let items): return "an array of \(items.count)"
        case .object(let members): return "an object of \(members.count) members"
        }
    }
}
