/// JSON with the key order we choose and numbers printed exactly as given: figures that are
/// filed must look the same on every run, and "0.1305" must never become 0.13049999.
public indirect enum JSONValue: Sendable, Equatable {
    case object([(String, JSONValue)])
    case array([JSONValue])
    case string(String)
    /// Number text already formatted (an integer, or a decimal with fixed places).
    case number(String)
    case bool(Bool)
    case null

    public static func int(_ value: some BinaryInteger) -> JSONValue { .number(String(value)) }

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        lhs.rendered() == rhs.rendered()
    }

    /// Compact with `pretty: false`; two-space indentation otherwise.
    public func rendered(pretty: Bool = true) -> String {
        var output = ""
        write(into: &output, indent: pretty ? 0 : nil)
        return output
    }

    private func write(into output: inout String, indent: Int?) {
        let newline = indent == nil ? "" : "\n"
        let pad = { (level: Int) in String(repeating: "  ", count: level) }
        switch self {
        case .object(let members):
            guard !members.isEmpty else { output += "{}"; return }
            output += "{" + newline
            for (index, (key, value)) in members.enumerated() {
                if let indent { output += pad(indent + 1) }
                output += Self.quoted(key) + (indent == nil ? ":" : ": ")
                value.write(into: &output, indent: indent.map { $0 + 1 })
                output += (index < members.count - 1 ? "," : "") + newline
            }
            if let indent { output += pad(indent) }
            output += "}"
        case .array(let elements):
            guard !elements.isEmpty else { output += "[]"; return }
            output += "[" + newline
            for (index, element) in elements.enumerated() {
                if let indent { output += pad(indent + 1) }
                element.write(into: &output, indent: indent.map { $0 + 1 })
                output += (index < elements.count - 1 ? "," : "") + newline
            }
            if let indent { output += pad(indent) }
            output += "]"
        case .string(let text): output += Self.quoted(text)
        case .number(let text): output += text
        case .bool(let value): output += value ? "true" : "false"
        case .null: output += "null"
        }
    }

    static func quoted(_ text: String) -> String {
        // Most strings need no escape: one scan of their bytes, then the string whole.
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            return "\"" + text + "\""
        }
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByBooleanLiteral, ExpressibleByNilLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(nilLiteral: ()) { self = .null }
}
