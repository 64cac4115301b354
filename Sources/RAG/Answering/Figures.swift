/// The figures a text states, as the support check compares them: runs of ASCII digits, and
/// English number words ("three", "twenty-four") read as digits.
///
/// The two sides are read differently on purpose. What an answer claims counts a number word only
/// before a unit ("three months", "twice" aside), where it is plainly a quantity; "one of the
/// brushes" states no figure. What may back a claim (passages, the user's words) counts every
/// number word, so "every three or four months" backs "every 3 months" and "every four months".
/// A wrong claim is then still caught ("every three months" against a manual's "every 2 months"),
/// while a word read as a figure where none was meant can only make a claim easier to back.
enum Figures {
    /// Figures an answer's sentence states: digit runs, and number words before a unit.
    static func stated(in text: String) -> Set<String> {
        digits(in: text).union(numberWords(in: text, beforeUnitOnly: true))
    }

    /// Figures a passage or the user's text makes available: digit runs and every number word.
    static func available(in text: String) -> Set<String> {
        digits(in: text).union(numberWords(in: text, beforeUnitOnly: false))
    }

    /// The runs of digits in `text` ("5,200 mAh" gives 5 and 200, "E6" gives 6): figures compared
    /// as digits, so that "24 h" and "24 hours" agree and units or separators do not matter.
    static func digits(in text: String) -> Set<String> {
        var figures = Set<String>()
        var run = ""
        func flush() {
            guard !run.isEmpty else { return }
            let significant = run.drop { $0 == "0" }  // "05" and "5" are one figure
            figures.insert(significant.isEmpty ? "0" : String(significant))
            run = ""
        }
        for character in text {
            if character.isASCII, character.isNumber { run.append(character) } else { flush() }
        }
        flush()
        return figures
    }

    /// Whether `word` (lower-cased) is an English number word this reader knows.
    static func isNumberWord(_ word: Substring) -> Bool {
        units[word] != nil || tens[word] != nil
    }

    /// Values of number words: a tens word joined to a units word ("twenty-four", "twenty four")
    /// makes one figure.
    private static func numberWords(in text: String, beforeUnitOnly: Bool) -> Set<String> {
        let words = text.lowercased().split { !$0.isLetter }
        var figures = Set<String>()
        var index = 0
        while index < words.count {
            var value: Int
            var next = index + 1
            if let ten = tens[words[index]] {
                value = ten
                if next < words.count, let unit = units[words[next]], unit < 10, unit > 0 {
                    value += unit
                    next += 1
                }
            } else if let unit = units[words[index]] {
                value = unit
            } else {
                index += 1
                continue
            }
            if !beforeUnitOnly || (next < words.count && quantityUnits.contains(words[next])) {
                figures.insert(String(value))
            }
            index = next
        }
        return figures
    }

    private static let units: [Substring: Int] = [
        "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
        "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
        "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    ]

    private static let tens: [Substring: Int] = [
        "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
        "ninety": 90,
    ]

    /// Words after which a number word is a quantity: time, counts, measures.
    private static let quantityUnits: Set<Substring> = [
        "second", "seconds", "minute", "minutes", "hour", "hours", "day", "days", "week", "weeks", "month",
        "months", "year", "years", "time", "times", "percent", "degree", "degrees", "meter", "meters", "metre",
        "metres", "centimeter", "centimeters", "centimetre", "centimetres", "millimeter", "millimeters",
        "millimetre", "millimetres", "inch", "inches", "foot", "feet", "kilogram", "kilograms", "gram", "grams",
        "liter", "liters", "litre", "litres", "volt", "volts", "watt", "watts", "cycle", "cycles", "charge",
        "charges", "step", "steps", "beep", "beeps", "blink", "blinks", "flash", "flashes", "press", "presses",
        "business", "working",
    ]
}
