import PostgresLibPQ

/// Text as Chinese spreadsheets and input methods write it.
public enum SpreadsheetText {
    /// Full-width ASCII forms (０-９, Ａ-Ｚ, ａ-ｚ, ＋, －, ：, ／ …, U+FF01–U+FF5E) and the ideographic
    /// space U+3000 as their ASCII counterparts: an ID number typed with a Chinese input method
    /// in full-width mode is the same number. For codes, numbers, dates and times only: names
    /// and titles keep their full-width punctuation.
    public static func halfwidth(_ text: String) -> String {
        // The usual case: plain ASCII, returned as it is without copying.
        guard text.utf8.contains(where: { $0 >= 0x80 }) else { return text }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0xFF01...0xFF5E: result.append(Unicode.Scalar(scalar.value - 0xFEE0)!)
            case 0x3000: result.append(" ")
            default: result.append(scalar)
            }
        }
        return String(result)
    }
}

/// Dates and times as a person or Excel writes them, read by one scanner:
/// dates `2025-04-06`, `2025-4-6`, `2025/4/6`, `2025.4.6`, `2025年4月6日`; times `9:00`, `09:00:00`,
/// `9:00:00.5`, after the date with a space, a `T` or nothing (`2025年4月6日9:00`), and an
/// optional `Z`, `±HH`, `±HHMM` or `±HH:MM` offset of at most ±14:00.
struct DateTimeScanner {
    private let scalars: [Unicode.Scalar]
    private(set) var position = 0

    init(_ text: String) {
        scalars = Array(text.unicodeScalars)
    }

    var atEnd: Bool { position == scalars.count }
    var rest: String { String(String.UnicodeScalarView(scalars[position...])) }

    mutating func skip(_ allowed: Set<Unicode.Scalar>) {
        while position < scalars.count, allowed.contains(scalars[position]) { position += 1 }
    }

    mutating func take(_ scalar: Unicode.Scalar) -> Bool {
        guard position < scalars.count, scalars[position] == scalar else { return false }
        position += 1
        return true
    }

    /// Between `minimum` and `maximum` ASCII digits.
    mutating func number(_ minimum: Int, _ maximum: Int) -> Int? {
        var value = 0
        var count = 0
        while count < maximum, position < scalars.count, let digit = Self.digit(scalars[position]) {
            value = value * 10 + digit
            position += 1
            count += 1
        }
        return count >= minimum ? value : nil
    }

    static func digit(_ scalar: Unicode.Scalar) -> Int? {
        (48...57).contains(scalar.value) ? Int(scalar.value - 48) : nil
    }

    mutating func date() -> CalendarDate? {
        guard let year = number(4, 4) else { return nil }
        let chinese: Bool
        let separator: Unicode.Scalar
        if take("年") {
            chinese = true
            separator = "月"
        } else if let next = scalars[safe: position], ["-", "/", "."].contains(next) {
            position += 1
            chinese = false
            separator = next
        } else {
            return nil
        }
        guard let month = number(1, 2), take(separator), let day = number(1, 2) else { return nil }
        if chinese { _ = take("日") }
        return CalendarDate(year: year, month: month, day: day)
    }

    /// `H:MM[:SS[.fraction]]`: hour, minute, second and the fraction's digits as written.
    mutating func time() -> (hour: Int, minute: Int, second: Int, fraction: String)? {
        guard let hour = number(1, 2), take(":"), let minute = number(2, 2), hour < 24, minute < 60 else { return nil }
        var second = 0
        var fraction = ""
        if take(":") {
            guard let value = number(2, 2), value < 60 else { return nil }
            second = value
            if take(".") {
                while let scalar = scalars[safe: position], Self.digit(scalar) != nil {
                    fraction.unicodeScalars.append(scalar)
                    position += 1
                }
                if fraction.isEmpty { return nil }
            }
        }
        return (hour, minute, second, fraction)
    }

    enum Offset { case absent, minutes(Int), outOfRange(String) }

    /// nil when what follows is not an offset.
    mutating func offset() -> Offset? {
        if atEnd { return .absent }
        if take("Z") || take("z") { return atEnd ? .minutes(0) : nil }
        guard let sign = scalars[safe: position], sign == "+" || sign == "-" else { return nil }
        let written = rest
        position += 1
        guard let hours = number(2, 2) else { return nil }
        var minutes = 0
        if !atEnd {
            _ = take(":")
            guard let value = number(2, 2), value < 60 else { return nil }
            minutes = value
        }
        guard atEnd else { return nil }
        let total = hours * 60 + minutes
        if total > 14 * 60 { return .outOfRange(written) }
        return .minutes(sign == "-" ? -total : total)
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
