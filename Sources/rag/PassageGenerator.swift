/// Deterministic manual-like passages for benchmarks, so that `rag` and a peer library embed
/// exactly the same texts in every run.
struct PassageGenerator {
    private var random: SplitMix

    init(seed: UInt64) { random = SplitMix(seed: seed) }

    private mutating func nextRandom() -> UInt64 { random.next() }

    private mutating func pick<T>(_ items: [T]) -> T { items[Int(nextRandom() % UInt64(items.count))] }

    private mutating func number(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(nextRandom() % UInt64(range.count))
    }

    /// A passage of `words` words in sentences of 6 to 18 words, with the odd number and code.
    mutating func passage(words: Int) -> String {
        var out: [String] = []
        var sentence: [String] = []
        var sentenceLength = number(in: 6...18)
        while out.count + sentence.count < words {
            var word: String
            switch number(in: 0...19) {
            case 0: word = String(number(in: 1...2400))
            case 1: word = pick(Self.technical)
            default: word = pick(Self.common)
            }
            if sentence.isEmpty { word = word.prefix(1).uppercased() + word.dropFirst() }
            sentence.append(word)
            if sentence.count == sentenceLength || out.count + sentence.count == words {
                out.append(contentsOf: sentence.dropLast())
                out.append(sentence[sentence.count - 1] + pick([".", ".", ".", "?", "!", ";"]))
                sentence = []
                sentenceLength = number(in: 6...18)
            } else if number(in: 0...11) == 0 {
                sentence[sentence.count - 1] += ","
            }
        }
        return out.joined(separator: " ")
    }

    static let common = """
        the of and to in is for on with that this be are by as at from or it an will your you can
        device unit button press hold seconds light power battery charge cable port screen menu
        settings select open close remove clean filter water tank brush wheel sensor motor cover
        check make sure before after when if not do use only while until then again first next
        warranty service support customer return order delivery package damaged replace repair
        manual page section step note warning caution model serial number error code reset restart
        network wireless connect app account password update firmware version download install
        temperature room floor surface carpet dust dirt hair pet schedule mode quiet normal strong
        daily weekly month year hour minute time date day cleaning maintenance storage travel
        """.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)

    static let technical = """
        recalibrate configuration troubleshooting overcurrent thermistor electrostatic
        interoperability authentication multifunctional disassembly photoelectric
        accelerometer lithium-ion USB-C 2.4GHz Wi-Fi Bluetooth HEPA-13 firmware-v2.1.3
        """.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
}
