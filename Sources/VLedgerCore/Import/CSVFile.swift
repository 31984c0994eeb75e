import Foundation

/// One record of a CSV file: its fields in file order and the physical line it starts on
/// (the header is line 1), so an error names the line a person sees in an editor.
public struct CSVRecord: Sendable, Equatable {
    public let line: Int
    public let values: [String]
}

/// A CSV file read whole: header, records, and the encoding it was found in.
/// Columns are found by name (trimmed, case-insensitive, full-width forms folded), or by one of
/// the names Chinese offices give them (`aliases`: 身份证号 for id_number…), so their order in
/// the file is free. Header cells left empty (the trailing commas Excel and WPS write after the
/// last column) name no column.
public struct CSVDocument: Sendable {
    /// The file name as the user gave it, for messages.
    public let source: String
    public let encoding: TextEncoding
    /// Column names as written in the file (trimmed).
    public let header: [String]
    /// Data records; blank lines (every field empty, as Excel leaves below a table) are dropped.
    public let records: [CSVRecord]
    private let positions: [String: Int]
    /// Each accepted name (an alias or the column's own) to the column's own, as keys.
    private let canonical: [String: String]
    /// Header cells with no name: a record may leave them out or empty.
    private let unnamed: [Int]
    private let namedCount: Int

    public init(source: String, encoding: TextEncoding, header: [String], records: [CSVRecord], aliases: [String: [String]] = [:]) {
        self.source = source
        self.encoding = encoding
        self.header = header
        self.records = records
        var canonical: [String: String] = [:]
        for (name, others) in aliases {
            for other in others where canonical[Self.key(other)] == nil { canonical[Self.key(other)] = Self.key(name) }
        }
        var positions: [String: Int] = [:]
        var unnamed: [Int] = []
        var namedCount = 0
        for (index, name) in header.enumerated() {
            let key = Self.key(name)
            guard !key.isEmpty else { unnamed.append(index); continue }
            namedCount = index + 1
            let column = canonical[key] ?? key
            if positions[column] == nil { positions[column] = index }
        }
        self.positions = positions
        self.canonical = canonical
        self.unnamed = unnamed.filter { $0 < namedCount }
        self.namedCount = namedCount
    }

    static func key(_ name: String) -> String {
        SpreadsheetText.halfwidth(name).trimmingCharacters(in: .whitespaces).lowercased()
    }

    /// Position of a column, nil when the file has none by that name (or an alias of it).
    public func column(_ name: String) -> Int? {
        positions[Self.key(name)]
    }

    public func hasColumn(_ name: String) -> Bool { column(name) != nil }

    /// Refuses a file that lacks any of `names`, naming every one missing, and a file that gives
    /// one column twice (under the same name or under two of its names).
    public func requireColumns(_ names: [String]) throws {
        let missing = names.filter { column($0) == nil }
        guard missing.isEmpty else {
            throw RuleViolation(
                field: "header", value: header.joined(separator: ","), code: missing.count > 1 ? "csv_missing_columns" : "csv_missing_column",
                args: ["columns": missing.joined(separator: ", "), "expected": names.joined(separator: ",")], line: 1)
        }
        var written: [String: [String]] = [:]
        var order: [String] = []
        for name in header where !Self.key(name).isEmpty {
            let column = canonical[Self.key(name)] ?? Self.key(name)
            if written[column] == nil { order.append(column) }
            written[column, default: []].append(name)
        }
        // The first column given twice: once it is fixed, the next is named.
        if let column = order.first(where: { written[$0]!.count > 1 }) {
            let names = written[column]!
            let quoted = names.map { "\"\(RuleViolation.quoted($0))\"" }
            if Set(names.map(Self.key)).count == 1 {
                throw RuleViolation(field: "header", value: header.joined(separator: ","), code: "csv_column_repeated",
                                    args: ["name": quoted[0], "count": String(names.count)], line: 1)
            }
            throw RuleViolation(field: "header", value: header.joined(separator: ","), code: "csv_column_aliases",
                                args: ["names": quoted.joined(separator: ", "), "column": column], line: 1)
        }
    }

    /// The value of `name` in `record`, "" when the column is absent or the record is short.
    public func value(_ record: CSVRecord, _ name: String) -> String {
        guard let index = column(name), index < record.values.count else { return "" }
        return record.values[index]
    }

    /// A record that does not fit the header (a stray comma, a lost quote). Fields under header
    /// cells without a name may be left out, or be there and empty.
    public func shapeProblem(_ record: CSVRecord) -> RuleViolation? {
        let values = record.values
        let isBlank = { (text: String) in !text.contains { !$0.isWhitespace } }
        if values.count < namedCount || (values.count > namedCount && values[namedCount...].contains { !isBlank($0) }) {
            return namedCount < header.count
                ? RuleViolation(field: "row", value: nil, code: "csv_row_fields_named",
                                args: ["count": String(values.count), "header": String(namedCount)], line: record.line)
                : RuleViolation(field: "row", value: nil, code: "csv_row_fields",
                                args: ["count": String(values.count), "header": String(header.count)], line: record.line)
        }
        if let index = unnamed.first(where: { $0 < values.count && !isBlank(values[$0]) }) {
            return RuleViolation(field: "row", value: values[index], code: "csv_row_unnamed_column",
                                 args: ["column": Workbook.columnName(index)], line: record.line)
        }
        return nil
    }

    /// Every record as a dictionary keyed by header name.
    public var rows: [(line: Int, fields: [String: String])] {
        records.map { record in
            var fields: [String: String] = [:]
            for (index, name) in header.enumerated() where index < record.values.count {
                fields[name] = record.values[index]
            }
            return (record.line, fields)
        }
    }
}

/// RFC 4180 CSV as Excel writes it: comma-separated, fields in double quotes may hold commas,
/// quotes (doubled) and line breaks; CRLF or LF line ends; UTF-8 (BOM or not) or GB18030.
public enum CSVFile {
    /// `encoding`: what the user said the file is (`--encoding`); nil to detect it.
    public static func read(_ url: URL, encoding: TextEncoding? = nil, aliases: [String: [String]] = [:]) throws -> CSVDocument {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw VLedgerError.notFound(what: "file", key: url.path)
        }
        return try parse(bytes: [UInt8](data), source: url.path, encoding: encoding, aliases: aliases)
    }

    public static func parse(bytes: [UInt8], source: String, encoding: TextEncoding? = nil, aliases: [String: [String]] = [:]) throws -> CSVDocument {
        let decoded = try TextDecoding.decode(bytes, file: source, as: encoding)
        return try parse(text: decoded.text, source: source, encoding: decoded.encoding, aliases: aliases)
    }

    public static func parse(text: String, source: String, encoding: TextEncoding = .utf8, aliases: [String: [String]] = [:]) throws -> CSVDocument {
        var all = try records(in: text, source: source)
        guard !all.isEmpty else {
            throw RuleViolation(field: "header", value: nil, code: "csv_empty", args: ["file": source], line: 1)
        }
        let header = all.removeFirst().values.map { $0.trimmingCharacters(in: .whitespaces) }
        let data = all.filter { record in record.values.contains { field in field.contains { !$0.isWhitespace } } }
        return CSVDocument(source: source, encoding: encoding, header: header, records: data, aliases: aliases)
    }

    /// Splits text into records, working on UTF-8 bytes: the separators are ASCII, so a byte
    /// scan never cuts a multi-byte character.
    static func records(in text: String, source: String) throws -> [CSVRecord] {
        var text = text
        return try text.withUTF8 { bytes -> [CSVRecord] in
            let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\""), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
            var result: [CSVRecord] = []
            var fields: [String] = []
            var line = 1
            var recordLine = 1
            var index = 0
            let count = bytes.count
            var fieldBuffer: [UInt8] = []
            while index < count {
                // Start of a field.
                if bytes[index] == quote {
                    let openedOn = line
                    fieldBuffer.removeAll(keepingCapacity: true)
                    index += 1
                    var closed = false
                    while index < count {
                        let byte = bytes[index]
                        if byte == quote {
                            if index + 1 < count, bytes[index + 1] == quote {
                                fieldBuffer.append(quote)
                                index += 2
                                continue
                            }
                            index += 1
                            closed = true
                            break
                        }
                        if byte == lf || (byte == cr && !(index + 1 < count && bytes[index + 1] == lf)) { line += 1 }
                        fieldBuffer.append(byte)
                        index += 1
                    }
                    guard closed else {
                        throw RuleViolation(field: "row", value: nil, code: "csv_quote_unclosed", line: openedOn)
                    }
                    // Text after the closing quote up to the separator is kept, as Excel does.
                    while index < count, bytes[index] != comma, bytes[index] != cr, bytes[index] != lf {
                        fieldBuffer.append(bytes[index])
                        index += 1
                    }
                    fields.append(String(decoding: fieldBuffer, as: UTF8.self))
                } else {
                    let start = index
                    while index < count, bytes[index] != comma, bytes[index] != cr, bytes[index] != lf {
                        index += 1
                    }
                    fields.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self))
                }
                // End of a field: a comma, a line end, or the end of the text.
                if index < count, bytes[index] == comma {
                    index += 1
                    if index == count { fields.append("") }
                    continue
                }
                if index < count {
                    if bytes[index] == cr, index + 1 < count, bytes[index + 1] == lf { index += 1 }
                    index += 1
                }
                result.append(CSVRecord(line: recordLine, values: fields))
                fields = []
                line += 1
                recordLine = line
                // An empty line ends a record with one empty field; keep it (dropped later as blank).
                while index < count, bytes[index] == lf || bytes[index] == cr {
                    if bytes[index] == cr, index + 1 < count, bytes[index + 1] == lf { index += 1 }
                    index += 1
                    result.append(CSVRecord(line: recordLine, values: [""]))
                    line += 1
                    recordLine = line
                }
            }
            if !fields.isEmpty { result.append(CSVRecord(line: recordLine, values: fields)) }
            return result
        }
    }
}
