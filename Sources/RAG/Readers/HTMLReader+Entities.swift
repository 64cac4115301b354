extension HTMLReader {
    /// The named references that documentation pages actually use; the full HTML table has 2,231 names, and an
    /// unknown one is kept as written rather than guessed.
    private static let namedEntities: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'",
        // A no-break space is a space in plain text; keeping U+00A0 would only split words for keyword search.
        "nbsp": " ", "ensp": " ", "emsp": " ", "thinsp": " ", "shy": "", "zwsp": "", "zwnj": "\u{200C}",
        "zwj": "\u{200D}", "copy": "©", "reg": "®", "trade": "™", "hellip": "…", "mdash": "—", "ndash": "–",
        "lsquo": "‘", "rsquo": "’", "sbquo": "‚", "ldquo": "“", "rdquo": "”", "bdquo": "„", "laquo": "«",
        "raquo": "»", "lsaquo": "‹", "rsaquo": "›", "middot": "·", "bull": "•", "deg": "°", "times": "×",
        "divide": "÷", "plusmn": "±", "minus": "−", "le": "≤", "ge": "≥", "ne": "≠", "asymp": "≈", "infin": "∞",
        "micro": "µ", "para": "¶", "sect": "§", "euro": "€", "pound": "£", "yen": "¥", "cent": "¢", "larr": "←",
        "rarr": "→", "uarr": "↑", "darr": "↓", "harr": "↔", "rArr": "⇒", "check": "✓", "frac12": "½",
        "frac14": "¼", "frac34": "¾", "sup2": "²", "sup3": "³", "iexcl": "¡", "iquest": "¿", "dagger": "†",
    ]

    /// The text of the character reference `&name;`, given `name` without `&` and `;`: a named one from the
    /// table above, `#39` or `#x27`; nil when it is none of these. Code points that cannot appear in text (NUL,
    /// surrogates, beyond U+10FFFF) become U+FFFD, as browsers do.
    static func entity(named name: String) -> String? {
        if let named = namedEntities[name] { return named }
        guard name.hasPrefix("#") else { return nil }
        var digits = name.dropFirst()
        var radix = 10
        if digits.first == "x" || digits.first == "X" {
            digits = digits.dropFirst()
            radix = 16
        }
        guard !digits.isEmpty, digits.count <= 8, let value = UInt32(digits, radix: radix) else { return nil }
        return String(Character(codePoint(value)))
    }

    static func codePoint(_ value: UInt32) -> Unicode.Scalar {
        // &#13; is a carriage return; normalising newlines later turns it into \n.
        guard value != 0, let scalar = Unicode.Scalar(value) else { return "\u{FFFD}" }
        return scalar
    }

    /// `text` with its character references decoded; `&` that starts none stays. A numeric reference may omit
    /// its `;`, as browsers allow; a named one may not, so `AT&T` and `?a=1&b=2` survive.
    static func decodingEntities(_ text: Substring) -> String {
        guard text.contains("&") else { return String(text) }
        var output = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            guard character == "&" else {
                output.append(character)
                index = text.index(after: index)
                continue
            }
            let start = text.index(after: index)
            if let (decoded, end) = reference(in: text, from: start) {
                output += decoded
                index = end
            } else {
                output.append("&")
                index = start
            }
        }
        return output
    }

    /// The reference right after an `&` at `start`: its text and the index after it.
    private static func reference(in text: Substring, from start: String.Index) -> (String, String.Index)? {
        let window = text[start...].prefix(34)
        if window.first == "#" {
            let afterHash = window.index(after: window.startIndex)
            var digitsStart = afterHash
            var radix = 10
            if afterHash < window.endIndex, window[afterHash] == "x" || window[afterHash] == "X" {
                digitsStart = window.index(after: afterHash)
                radix = 16
            }
            let digits = window[digitsStart...].prefix { $0.isASCII && $0.isHexDigit && (radix == 16 || $0.isNumber) }
            guard !digits.isEmpty else { return nil }
            var end = digits.endIndex
            if end < text.endIndex, text[end] == ";" { end = text.index(after: end) }
            // Too many digits to fit is out of range anyway: U+FFFD, like any other invalid code point.
            let value = digits.count <= 8 ? UInt32(digits, radix: radix) ?? 0 : 0
            return (String(Character(codePoint(value))), end)
        }
        guard let semicolon = window.firstIndex(of: ";"),
            let decoded = entity(named: String(text[start..<semicolon]))
        else { return nil }
        return (decoded, text.index(after: semicolon))
    }
}
