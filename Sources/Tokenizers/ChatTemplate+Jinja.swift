/// Reading the few facts a chat template states in its Jinja source, without a Jinja interpreter.
extension ChatTemplate {
    /// The text of a ChatML default system message: a string literal of the template that opens a system
    /// turn and closes it (`'<|im_start|>system\nYou are …<|im_end|>\n'`), as opposed to one that continues
    /// with `+ messages[0]['content']`. Nil when the template has none.
    static func defaultSystemMessage(inChatML template: String) -> String? {
        let opening = "<|im_start|>system\n"
        for literal in stringLiterals(in: template) where literal.hasPrefix(opening) {
            let body = literal.dropFirst(opening.count)
            if let end = body.range(of: "<|im_end|>") {
                return String(body[..<end.lowerBound])
            }
        }
        return nil
    }

    /// The string literals inside the template's `{{ … }}` and `{% … %}` blocks, escapes resolved, in order.
    ///
    /// Text outside blocks is output as it stands (an apostrophe there starts nothing), and comments `{# … #}`
    /// are skipped. Escapes are Python's, as Jinja reads them: `\n`, `\t`, `\r`, `\\`, `\'`, `\"`; any other
    /// backslash is kept.
    static func stringLiterals(in template: String) -> [String] {
        let scalars = Array(template.unicodeScalars)
        var literals: [String] = []
        var index = 0
        var closing: Unicode.Scalar?  // "}" or "%" while inside a block, "#" inside a comment
        while index < scalars.count {
            let scalar = scalars[index]
            let next = index + 1 < scalars.count ? scalars[index + 1] : nil
            guard let end = closing else {
                if scalar == "{", let next, next == "{" || next == "%" || next == "#" {
                    closing = next == "{" ? "}" : next
                    index += 2
                } else {
                    index += 1
                }
                continue
            }
            if scalar == end, next == "}" {
                closing = nil
                index += 2
            } else if end != "#", scalar == "'" || scalar == "\"" {
                var literal = String.UnicodeScalarView()
                index += 1
                while index < scalars.count, scalars[index] != scalar {
                    if scalars[index] == "\\", index + 1 < scalars.count {
                        switch scalars[index + 1] {
                        case "n": literal.append("\n")
                        case "t": literal.append("\t")
                        case "r": literal.append("\r")
                        case "\\", "'", "\"": literal.append(scalars[index + 1])
                        default: literal.append(contentsOf: [scalars[index], scalars[index + 1]])
                        }
                        index += 2
                    } else {
                        literal.append(scalars[index])
                        index += 1
                    }
                }
                literals.append(String(literal))
                index += 1
            } else {
                index += 1
            }
        }
        return literals
    }
}
