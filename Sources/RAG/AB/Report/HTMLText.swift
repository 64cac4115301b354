/// Text made safe to place in HTML, in element content and in quoted attribute values alike.
enum HTMLText {
    /// Replaces the five characters HTML gives meaning to with their character references. Answers
    /// and questions come from a model and from users, and a `<script>` in either must show as
    /// text, never run.
    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
