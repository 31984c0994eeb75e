/// An 11-digit mainland mobile number (1[3-9]xxxxxxxxx).
public struct Phone: Hashable, Sendable, CustomStringConvertible {
    public let value: String

    public init(_ text: String, field: String = "phone") throws {
        var digits = text.filter { !$0.isWhitespace && $0 != "-" }
        if digits.hasPrefix("+86") { digits.removeFirst(3) }
        let characters = Array(digits)
        guard characters.count == 11, characters.allSatisfy(\.isASCIIDigit), characters[0] == "1",
              ("3"..."9").contains(characters[1]) else {
            throw RuleViolation(field: field, value: Masking.phone(digits), rule: "must be an 11-digit mainland mobile number")
        }
        value = digits
    }

    public var masked: String { Masking.phone(value) }
    public var description: String { masked }
}
