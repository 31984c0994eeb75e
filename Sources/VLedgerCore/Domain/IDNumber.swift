import PostgresLibPQ

/// A mainland resident ID number (GB 11643-1999), validated: 18 characters, real birth date,
/// correct ISO 7064 MOD 11-2 check digit. A 15-digit first-generation number is upgraded.
public struct IDNumber: Hashable, Sendable, CustomStringConvertible {
    public let value: String

    static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    static let checkCharacters: [Character] = ["1", "0", "X", "9", "8", "7", "6", "5", "4", "3", "2"]

    /// Validates `text` (spaces trimmed, a lower-case x accepted); `field` names it in errors,
    /// which show the value masked.
    public init(_ text: String, field: String = "id_number", today: CalendarDate? = nil) throws {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
        let masked = Masking.idNumber(trimmed)
        func violation(_ rule: String) -> RuleViolation { RuleViolation(field: field, value: masked, rule: rule) }
        let characters = Array(trimmed)
        var upgraded: [Character]
        switch characters.count {
        case 18:
            guard characters.prefix(17).allSatisfy(\.isASCIIDigit), characters[17].isASCIIDigit || characters[17] == "X" else {
                throw violation("must be 17 digits followed by a digit or X")
            }
            upgraded = characters
        case 15:
            guard characters.allSatisfy(\.isASCIIDigit) else { throw violation("a 15-character ID number must be all digits") }
            // First-generation numbers carry a two-digit year of the 1900s.
            upgraded = Array(characters.prefix(6)) + ["1", "9"] + Array(characters.suffix(9))
            upgraded.append(Self.checkCharacter(for: upgraded))
        default:
            throw violation("must be 18 characters (or an old 15-digit number), got \(characters.count)")
        }
        let digits = upgraded.prefix(14).map { Int(String($0))! }
        let year = digits[6...9].reduce(0) { $0 * 10 + $1 }
        let month = digits[10] * 10 + digits[11]
        let day = digits[12] * 10 + digits[13]
        guard let birth = CalendarDate(year: year, month: month, day: day), year >= 1900 else {
            throw violation("birth date in the number is not a real date")
        }
        if let today, birth > today { throw violation("birth date in the number is in the future") }
        let expected = Self.checkCharacter(for: upgraded)
        guard upgraded[17] == expected else {
            throw violation("check digit does not match (GB 11643-1999)")
        }
        value = String(upgraded)
    }

    static func checkCharacter(for characters: [Character]) -> Character {
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

extension Character {
    /// Only the ten ASCII digits. A range test on `Character` ("0"..."9") also admits a digit
    /// carrying a combining mark ("1\u{301}" sorts between "1" and "2"), which then crashed `Int(_:)!`.
    var isASCIIDigit: Bool {
        guard let ascii = asciiValue else { return false }
        return ascii >= 48 && ascii <= 57
    }
}
