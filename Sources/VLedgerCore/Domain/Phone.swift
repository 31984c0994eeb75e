/// An 11-digit mainland mobile number (1[3-9]xxxxxxxxx).
public struct Phone: Hashable, Sendable, CustomStringConvertible {
    public let value: String

    public init(_ text: String, field: String = "phone") throws {
        let text = SpreadsheetText.halfwidth(text)
        // The usual case, checked on bytes without copying (imports check 100,000 of these).
        let utf8 = text.utf8
        if utf8.count == 11, utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), utf8.first == UInt8(ascii: "1"),
           let second = utf8.dropFirst().first, second >= UInt8(ascii: "3") {
            value = text
            return
        }
        var digits = text.filter { !$0.isWhitespace && $0 != "-" }
        if digits.hasPrefix("+86") { digits.removeFirst(3) }
        let characters = Array(digits)
        guard characters.count == 11, characters.allSatisfy(\.isASCIIDigit), characters[0] == "1",
              ("3"..."9").contains(characters[1]) else {
            throw RuleViolation(field: field, value: Masking.phone(digits), code: "volunteer_phone_format")
        }
        value = digits
    }

    public var masked: String { Masking.phone(value) }
    public var description: String { masked }
}
