import Foundation

/// Text forms of `timestamptz`, exact to the microsecond, without Foundation's locale-dependent formatters.
enum TimestampText {
    /// `2019-12-31T15:30:00.123456Z` (`… BC` before year 1), which PostgreSQL reads in any session time zone.
    /// Whole seconds and the fraction are split before scaling to microseconds: scaling first
    /// overflows Int64 near PostgreSQL's last timestamp (294276 AD) and traps. Infinite dates are
    /// PostgreSQL's infinities; NaN goes out as text the server refuses.
    static func format(_ date: Date) -> String {
        let interval = date.timeIntervalSince1970
        guard !interval.isNaN else { return "NaN" }
        guard interval.isFinite else { return interval > 0 ? "infinity" : "-infinity" }
        var whole = interval.rounded(.down)
        var fraction = Int(((interval - whole) * 1_000_000).rounded())
        if fraction == 1_000_000 {
            whole += 1
            fraction = 0
        }
        guard let seconds = Int(exactly: whole) else { return "NaN" }
        var days = seconds / 86_400
        var secondOfDay = seconds % 86_400
        if secondOfDay < 0 {
            secondOfDay += 86_400
            days -= 1
        }
        let day = CalendarDate(daysSinceEpoch: days)
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        // Astronomical year 0 is 1 BC, -1 is 2 BC, …
        let era = day.year <= 0 ? " BC" : ""
        let year = day.year <= 0 ? 1 - day.year : day.year
        let time = "\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2))"
        return "\(pad(year, 4))-\(pad(day.month, 2))-\(pad(day.day, 2))T\(time).\(pad(fraction, 6))Z\(era)"
    }

    /// Reads PostgreSQL's ISO output: `2019-12-31 15:30:00+00`, `… 15:30:00.5+05:30`, `…+05:30:12`,
    /// `10000-01-01 …` and `0044-03-15 12:00:00+00 BC`. Which of these a given instant prints as
    /// depends on the session time zone, so all are read.
    static func parse(_ text: String) -> Date? {
        var bytes = Array(text.utf8)
        let beforeChrist = bytes.count > 3 && bytes.suffix(3).elementsEqual(" BC".utf8)
        if beforeChrist { bytes.removeLast(3) }
        guard let dash = bytes.firstIndex(of: UInt8(ascii: "-")), (4...7).contains(dash) else { return nil }
        let t = dash - 4  // shift of every later field when the year has more than 4 digits
        guard bytes.count >= 22 + t, bytes[7 + t] == UInt8(ascii: "-"),
              bytes[10 + t] == UInt8(ascii: " ") || bytes[10 + t] == UInt8(ascii: "T"),
              bytes[13 + t] == UInt8(ascii: ":"), bytes[16 + t] == UInt8(ascii: ":"),
              let printedYear = CalendarDate.digits(bytes[0..<dash]), printedYear >= 1,
              let month = CalendarDate.digits(bytes[(5 + t)..<(7 + t)]), (1...12).contains(month),
              let day = CalendarDate.digits(bytes[(8 + t)..<(10 + t)]),
              let hour = CalendarDate.digits(bytes[(11 + t)..<(13 + t)]),
              let minute = CalendarDate.digits(bytes[(14 + t)..<(16 + t)]),
              let second = CalendarDate.digits(bytes[(17 + t)..<(19 + t)]), hour < 24, minute < 60, second < 61
        else { return nil }
        let year = beforeChrist ? 1 - printedYear : printedYear
        guard (1...CalendarDate.daysIn(month: month, year: year)).contains(day) else { return nil }
        var index = 19 + t
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
        } else if index + 1 != bytes.count {
            return nil
        }
        let days = CalendarDate.daysSinceEpoch(year: year, month: month, day: day)
        let epochSeconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        return Date(timeIntervalSince1970: Double(epochSeconds) + Double(micros) / 1_000_000)
    }
}
