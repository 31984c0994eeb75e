import PostgresLibPQ

/// A mainland resident ID number (GB 11643-1999), validated: 18 characters, real birth date,
/// correct ISO 7064 MOD 11-2 check digit. A 15-digit first-generation number is upgraded.
public struct IDNumber: Hashable, Sendable, CustomStringConvertible {
    public let value: String

    static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    static let checkCharacters: [Character] = ["1", "0", "X", "9", "8", "7", "6", "5", "4", "3", "2"]

    /// Validates `text` (spaces trimmed, a lower-case x accepted); `field` names it in errors,
    /// which show the value masked.
    /// Works on UTF-8 bytes: an import validates 100,000 of these, and Character-level work
    /// (grapheme breaking, Int(String(c))) made it the slowest step of the file.
    public init(_ text: String, field: String = "id_number", today: CalendarDate? = nil) throws {
        let trimmed = SpreadsheetText.halfwidth(text).trimmingOuterWhitespace
        var bytes = Array(trimmed.utf8)
        for index in bytes.indices where bytes[index] == UInt8(ascii: "x") { bytes[index] = UInt8(ascii: "X") }
        // Masked only when an error needs it.
        func violation(_ code: String, _ args: [String: String] = [:]) -> RuleViolation {
            RuleViolation(field: field, value: Masking.idNumber(trimmed.uppercased()), code: code, args: args)
        }
        let isDigit = { (byte: UInt8) in byte >= 48 && byte <= 57 }
        var upgraded: [UInt8]
        // Any non-ASCII byte makes the UTF-8 count differ from the character count: such text is refused
        // by the digit checks below, or by the length check with the count a person sees.
        switch bytes.count {
        case 18 where bytes.prefix(17).allSatisfy(isDigit) && (isDigit(bytes[17]) || bytes[17] == UInt8(ascii: "X")):
            upgraded = bytes
        case 15 where bytes.allSatisfy(isDigit):
            // First-generation numbers carry a two-digit year of the 1900s.
            upgraded = Array(bytes.prefix(6)) + [UInt8(ascii: "1"), UInt8(ascii: "9")] + Array(bytes.suffix(9))
            upgraded.append(Self.checkByte(for: upgraded))
        default:
            let count = trimmed.count
            if count == 18 { throw violation("id_number_shape") }
            if count == 15 { throw violation("id_number_old_digits") }
            throw violation("id_number_length", ["count": String(count)])
        }
        func number(_ range: Range<Int>) -> Int { upgraded[range].reduce(0) { $0 * 10 + Int($1 - 48) } }
        let year = number(6..<10)
        guard let birth = CalendarDate(year: year, month: number(10..<12), day: number(12..<14)), year >= 1900 else {
            throw violation("id_number_birth_date")
        }
        if let today, birth > today { throw violation("id_number_birth_future") }
        guard upgraded[17] == Self.checkByte(for: upgraded) else {
            throw violation("id_number_check_digit")
        }
        value = String(decoding: upgraded, as: UTF8.self)
    }

    static let checkBytes: [UInt8] = Array("10X98765432".utf8)

    /// The check character of the first 17 digits (ASCII bytes).
    static func checkByte(for bytes: [UInt8]) -> UInt8 {
        var sum = 0
        for index in 0..<17 { sum += Int(bytes[index] - 48) * weights[index] }
        return checkBytes[sum % 11]
    }

    /// The check character of the first 17 characters (digits) of an 18-character ID number.
    public static func checkCharacter(for characters: [Character]) -> Character {
        let sum = zip(characters.prefix(17), weights).reduce(0) { $0 + Int(String($1.0))! * $1.1 }
        return checkCharacters[sum % 11]
    }

    public var birthDate: CalendarDate {
        let digits = Array(value.utf8).map { Int($0) - 48 }
        return CalendarDate(
            year: digits[6] * 1000 + digits[7] * 100 + digits[8] * 10 + digits[9],
            month: digits[10] * 10 + digits[11], day: digits[12] * 10 + digits[13])!
    }

    /// "M" or "F": the 17th digit is odd for men.
    public var sex: String {
        (Int(String(Array(value)[16]))! % 2 == 1) ? "M" : "F"
    }

    public var masked: String { Masking.idNumber(value) }

    /// Masked: an ID number printed by accident is never printed in full.
    public var description: String { masked }
}

extension String {
    /// Leading and trailing white space removed; the string itself when there is none (the
    /// common case in a spreadsheet of 100,000 rows, where Foundation's trimming would copy).
    var trimmingOuterWhitespace: String {
        guard let first = unicodeScalars.first, let last = unicodeScalars.last else { return self }
        guard first.properties.isWhitespace || last.properties.isWhitespace else { return self }
        return trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

extension Character {
    /// Only the ten ASCII digits. A range test on `Character` ("0"..."9") also admits a digit
    /// carrying a combining mark ("1\u{301}" sorts between "1" and "2"), which then crashed `Int(_:)!`.
    var isASCIIDigit: Bool {
        guard let ascii = asciiValue else { return false }
        return ascii >= 48 && ascii <= 57
    }
}
