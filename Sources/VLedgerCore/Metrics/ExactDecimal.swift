import Foundation

/// Exact decimal arithmetic for filed figures. Sums and products of the counts and targets are
/// exact in `Decimal` (38 significant digits, far beyond any city); a quotient is never taken
/// from a binary or a truncated division but fixed by integer comparison, so a ratio that is
/// exactly on a rounding boundary or a target is decided correctly.
public enum ExactDecimal {
    /// `numerator / denominator` rounded half away from zero (half up for the non-negative
    /// figures of the metrics) to `places` decimals, as text with exactly `places` decimals.
    /// `denominator` must be positive; both must be whole numbers after scaling by 10^places.
    public static func quotient(_ numerator: Decimal, _ denominator: Decimal, places: Int) -> String {
        precondition(denominator > 0, "quotient needs a positive denominator")
        let negative = numerator < 0
        let scaled = abs(numerator) * power10(places)
        // A first estimate from Decimal division, corrected until q·d ≤ n < (q+1)·d holds exactly.
        var estimate = scaled / denominator
        var quotient = Decimal()
        NSDecimalRound(&quotient, &estimate, 0, .down)
        while quotient * denominator > scaled { quotient -= 1 }
        while (quotient + 1) * denominator <= scaled { quotient += 1 }
        let remainder = scaled - quotient * denominator
        if remainder * 2 >= denominator { quotient += 1 }
        return (negative && quotient != 0 ? "-" : "") + fixedPoint(integer: quotient, places: places)
    }

    /// The smallest whole number ≥ `value`.
    public static func ceiling(_ value: Decimal) -> Decimal {
        var input = value
        var result = Decimal()
        NSDecimalRound(&result, &input, 0, .down)
        return result < value ? result + 1 : result
    }

    /// A whole Decimal as an Int64 (the figures never leave that range).
    public static func int64(_ value: Decimal) -> Int64 {
        NSDecimalNumber(decimal: value).int64Value
    }

    static func power10(_ exponent: Int) -> Decimal {
        var result = Decimal(1)
        for _ in 0..<exponent { result *= 10 }
        return result
    }

    /// `1305` with 4 places → `0.1305`.
    static func fixedPoint(integer: Decimal, places: Int) -> String {
        var digits = integer.description
        guard places > 0 else { return digits }
        if digits.count <= places { digits = String(repeating: "0", count: places - digits.count + 1) + digits }
        let split = digits.index(digits.endIndex, offsetBy: -places)
        return digits[..<split] + "." + digits[split...]
    }

    /// Strict decimal text: digits, optionally a point and more digits (no sign, no exponent).
    public static func parse(_ text: String) -> Decimal? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.range(of: #"^[0-9]{1,9}(\.[0-9]{1,9})?$"#, options: .regularExpression) != nil else { return nil }
        return Decimal(string: trimmed, locale: Locale(identifier: "en_US_POSIX"))
    }
}
