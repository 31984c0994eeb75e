import Foundation

/// The 95 % Wilson score interval of a share, and the sample a ±3-point estimate needs.
///
/// For x supportive answers out of n, p̂ = x/n and z the 97.5 % normal quantile:
///   centre = (p̂ + z²/2n) / (1 + z²/n),
///   half   = z / (1 + z²/n) · √(p̂(1−p̂)/n + z²/4n²).
/// Unlike p̂ ± z√(p̂(1−p̂)/n) it never leaves [0, 1] and stays honest near 100 %, where support
/// rates live. The bounds are printed to four decimals; `meets` never uses them (the exact share does).
public struct WilsonInterval: Sendable, Equatable {
    public static let z = 1.959963984540054
    /// ±3 points.
    public static let margin = 0.03

    public let lower: Double
    public let upper: Double

    public init(supportive: Int64, sample: Int64, z: Double = WilsonInterval.z) {
        precondition(sample > 0 && supportive >= 0 && supportive <= sample)
        let n = Double(sample)
        let p = Double(supportive) / n
        let z2 = z * z
        let denominator = 1 + z2 / n
        let centre = (p + z2 / (2 * n)) / denominator
        let half = z / denominator * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot()
        lower = max(0, centre - half)
        upper = min(1, centre + half)
    }

    /// `0.8256`: half up at the fourth decimal.
    public static func text(_ value: Double) -> String {
        ExactDecimal.quotient(Decimal((value * 100_000_000).rounded()), 100_000_000, places: 4)
    }

    /// n = ⌈z²·p(1−p)/0.03²⌉ with p the observed share (0.5, the worst case, when it is 0 or 1:
    /// such a sample says nothing of the spread). For p = 0.5 it is 1068.
    public static func sampleNeeded(supportive: Int64, sample: Int64, margin: Double = margin, z: Double = z) -> Int64 {
        var p = sample > 0 ? Double(supportive) / Double(sample) : 0.5
        if p <= 0 || p >= 1 { p = 0.5 }
        return Int64((z * z * p * (1 - p) / (margin * margin)).rounded(.up))
    }
}
