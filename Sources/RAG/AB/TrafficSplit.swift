/// Which arm of an online A/B test a request goes to: the adapter for `percent` of users, the base
/// model for the rest. Sticky: the same user always lands in the same arm (the user id is hashed),
/// so a conversation never switches models half-way; a request without a user is placed at random.
public struct TrafficSplit: Sendable, Equatable {
    /// The adapter arm's name.
    public var adapter: String
    /// Share of users sent to the adapter, 0 to 100.
    public var percent: Double

    public init(adapter: String, percent: Double) {
        self.adapter = adapter
        self.percent = min(100, max(0, percent))
    }

    /// `NAME:PERCENT`, as `rag serve --ab` takes it; nil when malformed.
    public init?(argument: String) {
        guard let colon = argument.lastIndex(of: ":"), let percent = Double(argument[argument.index(after: colon)...]),
            percent.isFinite, (0...100).contains(percent), colon > argument.startIndex
        else { return nil }
        self.init(adapter: String(argument[..<colon]), percent: percent)
    }

    /// The arm's adapter name for `user`; nil for the base model.
    public func arm(for user: String?) -> String? {
        let key = user.flatMap { $0.isEmpty ? nil : $0 }
        let bucket = key.map { Self.bucket(of: $0) } ?? Double(UInt64.random(in: 0..<10_000))
        return bucket < percent * 100 ? adapter : nil
    }

    /// A stable bucket in 0..<10,000: FNV-1a of the UTF-8 bytes (Swift's `hashValue` changes
    /// between runs, which would move users between arms on every restart).
    static func bucket(of user: String) -> Double {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in user.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return Double(hash % 10_000)
    }
}
