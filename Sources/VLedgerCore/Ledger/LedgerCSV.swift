import Foundation

/// The ledger's CSV reading, kept behind `LedgerCSV.read` so that it can be swapped for the
/// shared reader in `Import/` once both branches are merged.
///
/// Excel writes UTF-8 with or without a BOM, or GB18030 on Chinese Windows: a file that is not
/// valid UTF-8 is read as GB18030. Fields follow RFC 4180 (quotes, doubled quotes, line breaks
/// inside quotes); each record keeps the line it starts on, for error reports.
public enum LedgerCSV {
    public struct Record: Sendable {
        public let line: Int
        public let fields: [String]
    }

    public struct Table: Sendable {
        public let header: [String]
        public let records: [Record]
        public let encoding: String
    }

    public static func read(path: String) throws -> Table {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw VLedgerError.configuration("cannot read file \(path)")
        }
        return try parse(data, name: path)
    }

    /// GB18030-2000 as Foundation names it (kCFStringEncodingGB_18030_2000 = 0x0632).
    static let gb18030 = String.Encoding(rawValue: 0x8000_0632)

    public static func parse(_ data: Data, name: String = "input") throws -> Table {
        var bytes = [UInt8](data)
        var encoding = "UTF-8"
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            bytes.removeFirst(3)
        } else if String(validating: bytes, as: UTF8.self) == nil {
            guard let text = String(data: data, encoding: gb18030) else {
                throw VLedgerError.configuration("\(name): neither UTF-8 nor GB18030 text")
            }
            bytes = Array(text.utf8)
            encoding = "GB18030"
        }
        if String(validating: bytes, as: UTF8.self) == nil {
            throw VLedgerError.configuration("\(name): not valid UTF-8 after its byte order mark")
        }
        let all = try records(bytes, name: name)
        guard let first = all.first else {
            throw RuleViolation(field: "header", value: nil, rule: "\(name) is empty; expected a header line", line: 1)
        }
        let header = first.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        return Table(header: header, records: Array(all.dropFirst()), encoding: encoding)
    }

    /// Checks the header names the columns expected (in this order; extra optional ones allowed).
    public static func requireHeader(_ table: Table, required: [String], optional: [String] = []) throws {
        let expected = required + optional
        guard table.header.count >= required.count, table.header.count <= expected.count,
              Array(expected.prefix(table.header.count)) == table.header
        else {
            let wanted = required.joined(separator: ",") + optional.map { "[,\($0)]" }.joined()
            throw RuleViolation(field: "header", value: table.header.joined(separator: ","), rule: "expected \(wanted)", line: 1)
        }
    }

    static func records(_ bytes: [UInt8], name: String) throws -> [Record] {
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        var result: [Record] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var line = 1
        var recordLine = 1
        var index = 0
        var inQuotes = false
        var recordHasContent = false
        let count = bytes.count
        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
        }
        func endRecord() {
            endField()
            // Blank lines (Excel leaves them at the end) are not records.
            if recordHasContent || fields.count > 1 || !(fields.first ?? "").isEmpty {
                result.append(Record(line: recordLine, fields: fields))
            }
            fields.removeAll(keepingCapacity: true)
            recordHasContent = false
        }
        while index < count {
            let byte = bytes[index]
            if inQuotes {
                if byte == quote {
                    if index + 1 < count, bytes[index + 1] == quote {
                        field.append(quote)
                        index += 2
                        continue
                    }
                    inQuotes = false
                } else {
                    if byte == lf { line += 1 }
                    field.append(byte)
                }
                index += 1
                continue
            }
            switch byte {
            case quote:
                inQuotes = true
                recordHasContent = true
            case comma:
                endField()
                recordHasContent = true
            case cr:
                if index + 1 < count, bytes[index + 1] == lf { index += 1 }
                endRecord()
                line += 1
                recordLine = line
            case lf:
                endRecord()
                line += 1
                recordLine = line
            default:
                field.append(byte)
            }
            index += 1
        }
        if inQuotes {
            throw RuleViolation(field: "row", value: nil, rule: "\(name): a quoted field is never closed", line: recordLine)
        }
        if !field.isEmpty || !fields.isEmpty || recordHasContent { endRecord() }
        return result
    }
}
