/// The regular expressions of `adapter_config.json` (`target_modules` as one string, the keys of `rank_pattern`
/// and `alpha_pattern`) checked before they are matched against module names.
///
/// Swift's `Regex` backtracks without a step limit, so a pattern that repeats a repetition, such as
/// `(.*)*(.*)*(.*)*x`, took longer than two minutes against one 31-character module name: a 1.6 KB adapter
/// folder hung the loader. PEFT's own patterns are module names or a few wildcards (`.*\.layers\.[0-9]+\.q_proj`),
/// so refusing what can backtrack without bound costs nothing real: a repeated group that holds a repetition or
/// an alternation, and more than `maximumUnboundedRepetitions` unbounded repetitions in all (each one multiplies
/// the ways a failing match is retried by the name's length, about 100).
extension AdapterConfiguration {
    /// `*`, `+`, `{n,}` or `{n,m}` with m above `largestBoundedCount`, counted over the whole pattern.
    static let maximumUnboundedRepetitions = 3
    static let largestBoundedCount = 16

    /// Why `pattern` could make the regex engine run without bound on a module name, or nil when it cannot.
    ///
    /// A scan of the pattern's syntax, not a parse: escapes and bracket classes are skipped as atoms, groups
    /// (capturing or not, lookarounds too) are tracked on a stack, and a quantifier's `?`/`+` modifier is read
    /// with it. A pattern this scan misreads is at worst refused, or left to `Regex` to refuse.
    static func backtrackingHazard(in pattern: String) -> String? {
        let scalars = Array(pattern.unicodeScalars)
        // For each open group: whether it holds a repetition or an alternation.
        var groups: [Bool] = []
        var previousIsRiskyGroup = false
        var unbounded = 0
        var index = 0
        func markEnclosingGroup() {
            if !groups.isEmpty { groups[groups.count - 1] = true }
        }
        while index < scalars.count {
            let scalar = scalars[index]
            index += 1
            switch scalar {
            case "\\":
                index += 1
                previousIsRiskyGroup = false
            case "[":
                // A class ends at the first unescaped `]` that is not its first member.
                if index < scalars.count, scalars[index] == "^" { index += 1 }
                if index < scalars.count, scalars[index] == "]" { index += 1 }
                while index < scalars.count, scalars[index] != "]" { index += scalars[index] == "\\" ? 2 : 1 }
                index += 1
                previousIsRiskyGroup = false
            case "(":
                groups.append(false)
                previousIsRiskyGroup = false
            case ")":
                let risky = groups.popLast() ?? false
                if risky { markEnclosingGroup() }
                previousIsRiskyGroup = risky
            case "|":
                markEnclosingGroup()
                previousIsRiskyGroup = false
            case "*", "+", "?", "{":
                var isUnbounded = scalar != "?"
                if scalar == "{" {
                    guard let (bound, end) = Self.braceQuantifier(scalars, from: index) else {
                        previousIsRiskyGroup = false
                        continue
                    }
                    index = end
                    isUnbounded = bound.map { $0 > largestBoundedCount } ?? true
                }
                // A lazy `?` or possessive `+` after a quantifier belongs to it.
                if index < scalars.count, scalars[index] == "?" || scalars[index] == "+" { index += 1 }
                if isUnbounded {
                    if previousIsRiskyGroup {
                        return "repeats a group that holds a repetition or an alternation, which can backtrack "
                            + "exponentially; write the module names out instead"
                    }
                    unbounded += 1
                    markEnclosingGroup()
                }
                previousIsRiskyGroup = false
            default:
                previousIsRiskyGroup = false
            }
        }
        if unbounded > maximumUnboundedRepetitions {
            return
                "holds \(unbounded) unbounded repetitions (*, +, {n,}), more than the \(maximumUnboundedRepetitions) "
                + "allowed, which can backtrack for hours; write the module names out instead"
        }
        return nil
    }

    /// `{n}`, `{n,}` or `{n,m}` starting after the `{` at `start`: the largest count (nil when unbounded) and
    /// the index after the `}`; nil when the brace is a literal.
    private static func braceQuantifier(_ scalars: [Unicode.Scalar], from start: Int) -> (Int?, Int)? {
        guard let close = scalars[start...].firstIndex(of: "}") else { return nil }
        let body = String(String.UnicodeScalarView(scalars[start..<close]))
        let parts = body.split(separator: ",", omittingEmptySubsequences: false)
        guard parts.count <= 2, let low = Int(parts[0]), low >= 0 else { return nil }
        if parts.count == 1 { return (low, close + 1) }
        if parts[1].isEmpty { return (nil, close + 1) }
        guard let high = Int(parts[1]) else { return nil }
        return (high, close + 1)
    }
}
