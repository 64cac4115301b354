/// Watches generated text for stop sequences and decides what may be shown so far.
///
/// Text that could still turn into a stop sequence is held back: with stop "\nUser:", a piece
/// ending in "\nUs" is not emitted until the next piece shows whether the sequence completes.
/// When one completes, everything before it is released and generation ends; the sequence
/// itself is never shown.
public struct StopSequenceMatcher: Sendable {
    public let stops: [String]
    private var pending = ""

    public init(stops: [String]) { self.stops = stops.filter { !$0.isEmpty } }

    /// The result of feeding one piece of text.
    public struct Step: Equatable, Sendable {
        /// Text that can be shown now.
        public var text: String
        /// Whether a stop sequence completed (generation should end).
        public var stopped: Bool

        public init(text: String, stopped: Bool) {
            self.text = text
            self.stopped = stopped
        }
    }

    /// Adds generated text; returns what is safe to show and whether a stop sequence completed.
    public mutating func feed(_ piece: String) -> Step {
        pending += piece
        guard !stops.isEmpty else {
            defer { pending = "" }
            return Step(text: pending, stopped: false)
        }
        // The earliest completed stop sequence wins.
        var earliest: String.Index?
        for stop in stops {
            if let range = pending.firstRange(of: stop), earliest.map({ range.lowerBound < $0 }) ?? true {
                earliest = range.lowerBound
            }
        }
        if let earliest {
            let text = String(pending[..<earliest])
            pending = ""
            return Step(text: text, stopped: true)
        }
        // Hold back the longest suffix that is a prefix of some stop sequence.
        var held = 0
        for stop in stops {
            var length = min(stop.count, pending.count)
            while length > held {
                if pending.hasSuffix(stop.prefix(length)) {
                    held = length
                    break
                }
                length -= 1
            }
        }
        let cut = pending.index(pending.endIndex, offsetBy: -held)
        let text = String(pending[..<cut])
        pending = String(pending[cut...])
        return Step(text: text, stopped: false)
    }

    /// Text still held back when generation ends for another reason (length, end of text).
    public mutating func flush() -> String {
        defer { pending = "" }
        return pending
    }
}
