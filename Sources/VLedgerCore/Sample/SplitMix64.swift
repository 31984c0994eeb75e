/// SplitMix64 (Steele, Lea, Flood 2014): a tiny, fast generator whose output depends only on the
/// seed, on every platform and Swift version, which Foundation's and the standard library's
/// random sources do not promise. The sample city is reproducible from its seed.
public struct SplitMix64: Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in 0..<bound (Lemire's multiply-shift; the tiny bias is irrelevant for sample data).
    public mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0)
        return Int(((next() >> 32) &* UInt64(bound)) >> 32)
    }

    /// Uniform in the closed range.
    public mutating func between(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.upperBound - range.lowerBound + 1)
    }

    /// True with probability permille/1000.
    public mutating func chance(permille: Int) -> Bool {
        below(1000) < permille
    }

    /// Uniform in [0, 1).
    public mutating func unit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    public mutating func pick<T>(_ items: [T]) -> T {
        items[below(items.count)]
    }

    /// A generator for a sub-stream, so one part of the city does not shift when another changes.
    public mutating func fork() -> SplitMix64 {
        SplitMix64(seed: next())
    }
}
