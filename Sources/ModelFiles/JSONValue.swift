/// A parsed JSON value, as far as a model header needs one.
///
/// Objects keep their members in file order as a list, not a dictionary, so that a name written twice is
/// seen (and refused) rather than silently replaced by the later one. Integers that fit in `Int` are kept as
/// such; every other number keeps its literal text, so that `2.0` or `1e400` can be reported as written.
enum JSONValue {
    case null
    case bool(Bool)
    case integer(Int)
    /// A number with a fraction or exponent, or an integer outside `Int`'s range, as written.
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([Member])

    /// One `"key": value` pair of an object.
    struct Member {
        let key: String
        let value: JSONValue
    }

    /// How the value reads in an error message: its kind, and the value itself when it is short.
    var summary: String {
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
