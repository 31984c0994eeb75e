import Foundation

/// Text forms of `timestamptz`, exact to the microsecond, without Foundation's locale-dependent formatters.
enum TimestampText {
    /// `2019-12-31T15:30:00.123456Z`, which PostgreSQL reads in any session time zone.
    static func format(_ date: Date) -> String {
        let micros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
        var seconds = micros / 1_000_000
        var fraction = micros % 1_000_000
        if fraction < 0 {
            fraction += 1_000_000
            seconds -= 1
        }
        var days = Int(seconds / 86_400)
        var secondOfDay = Int(seconds % 86_400)
        if secondOfDay < 0 {
            secondOfDay += 86_400
            days -= 1
        }
        let day = CalendarDate(daysSinceEpoch: days)
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        let time = "\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2))"
        return "\(day)T\(time).\(pad(Int(fraction), 6))Z"
    }

    /// Reads PostgreSQL's ISO output: `2019-12-31 15:30:00+00`, `… 15:30:00.5+05:30`, `…+05:30:12`.
    static func parse(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 22, let day = CalendarDate(iso: String(decoding: bytes[0..<10], as: UTF8.self)),
              bytes[10] == UInt8(ascii: " ") || bytes[10] == UInt8(ascii: "T"),
              bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
              let hour = CalendarDate.digits(bytes[11..<13]), let minute = CalendarDate.digits(bytes[14..<16]),
              let second = CalendarDate.digits(bytes[17..<19]), hour < 24, minute < 60, second < 61
        else { return nil }
        var index = 19
        var micros = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            var scale = 100_000
            while index < bytes.count, let digit = CalendarDate.digits(bytes[index..<index + 1]) {
                micros += digit * scale
                scale /= 10
                index += 1
            }
        }
        guard index < bytes.count else { return nil }
        let sign: Int
        switch bytes[index] {
        case UInt8(ascii: "+"): sign = 1
        case UInt8(ascii: "-"): sign = -1
        case UInt8(ascii: "Z"): sign = 0
        default: return nil
        }
        var offsetSeconds = 0
        if sign != 0 {
            let fields = String(decoding: bytes[(index + 1)...], as: UTF8.self).split(separator: ":")
            guard (1...3).contains(fields.count) else { return nil }
            var multiplier = 3600
            for field in fields {
                guard field.count == 2, let value = Int(field) else { return nil }
                offsetSeconds += value * multiplier
                multiplier /= 60
            }
            offsetSeconds *= sign
        }
        let epochSeconds = day.daysSinceEpoch * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        return Date(timeIntervalSince1970: Double(epochSeconds) + Double(micros) / 1_000_000)
    }
}
