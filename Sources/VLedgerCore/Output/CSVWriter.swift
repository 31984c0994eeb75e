/// RFC 4180 CSV, quoting only where needed, so Excel and `import` read it back unchanged.
public enum CSVWriter {
    public static func line(_ fields: [String]) -> String {
        fields.map(quote).joined(separator: ",")
    }

    public static func document(header: [String], rows: [[String]]) -> String {
        ([line(header)] + rows.map(line)).joined(separator: "\n") + "\n"
    }

    static func quote(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) || field.hasPrefix(" ") || field.hasSuffix(" ")
        else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
