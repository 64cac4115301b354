/// The bootstrap's tiny deterministic generator (Steele, Lea and Flood's SplitMix64): the same
/// seed draws the same resamples on every platform and in every release, so a bootstrap interval
/// in a report can be reproduced to the last digit. `SystemRandomNumberGenerator` cannot be
/// seeded, and the LanguageModel module's generator is its own business.
struct BootstrapRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A draw in 0..<`count` (`count` > 0): the high word of a 64×64-bit product (Lemire). Its bias,
    /// at most `count` / 2⁶⁴, is far below anything a bootstrap can see, and unlike the standard
    /// library's `Int.random(in:using:)` the mapping is ours, so it cannot change under us.
    mutating func index(below count: Int) -> Int {
        Int(next().multipliedFullWidth(by: UInt64(count)).high)
    }
}
