import Foundation

/// A share printed with the two integers it is made of, so that nobody has to trust a rounding:
/// `{"numerator": 3, "denominator": 4, "value": 0.7500}`; value null when the denominator is 0.
public enum MetricsRatio {
    public static func value(_ numerator: Int64, _ denominator: Int64) -> String? {
        denominator <= 0 ? nil : ExactDecimal.quotient(Decimal(numerator), Decimal(denominator), places: 4)
    }

    public static func json(_ numerator: Int64, _ denominator: Int64) -> JSONValue {
        .object([("numerator", .int(numerator)), ("denominator", .int(denominator)),
                 ("value", value(numerator, denominator).map { .number($0) } ?? .null)])
    }

    /// `3/4 = 0.7500`, or `3/0` for a share of nothing.
    public static func text(_ numerator: Int64, _ denominator: Int64) -> String {
        "\(numerator)/\(denominator)" + (value(numerator, denominator).map { " = \($0)" } ?? "")
    }
}
