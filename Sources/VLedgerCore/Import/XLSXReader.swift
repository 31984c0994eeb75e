import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// The first sheet of an xlsx workbook as the rows of a CSV file: the first row is the header,
/// each row's line is its row number in Excel, cells as Excel shows them (shared and inline
/// strings, numbers as stored, cells formatted as dates as YYYY-MM-DD).
enum XLSXReader {
    /// Most bytes one entry of the workbook may unpack to.
    static let entryLimit = 512 * 1_048_576

    static func document(_ bytes: [UInt8], source: String, aliases: [String: [String]]) throws -> CSVDocument {
        let unreadable = RuleViolation(field: "file", value: nil, code: "xlsx_unreadable", args: ["file": source])
        guard let zip = ZipEntries(bytes) else { throw unreadable }
        do {
            let strings = try zip.entry("xl/sharedStrings.xml").map { SheetXML.sharedStrings($0) } ?? []
            let dates = try zip.entry("xl/styles.xml").map { SheetXML.dateStyles($0) } ?? []
            guard let sheet = try zip.entry(try firstSheetPath(zip)) else { throw unreadable }
            let rows = SheetXML.rows(sheet, strings: strings, dateStyles: dates)
            guard let first = rows.first else {
                throw RuleViolation(field: "header", value: nil, code: "csv_empty", args: ["file": source], line: 1)
            }
            let header = first.values.map { $0.trimmingCharacters(in: .whitespaces) }
            let records = rows.dropFirst().filter { $0.values.contains { !$0.allSatisfy(\.isWhitespace) } }
            return CSVDocument(source: source, encoding: .utf8, header: header, records: Array(records), aliases: aliases)
        } catch is Inflate.Corrupt {
            throw unreadable
        }
    }

    /// The first sheet in the workbook's order, through its relationship; sheet1.xml when unsaid.
    static func firstSheetPath(_ zip: ZipEntries) throws -> String {
        guard let workbook = try zip.entry("xl/workbook.xml"), let rels = try zip.entry("xl/_rels/workbook.xml.rels"),
              let id = SheetXML.firstSheetRelation(workbook), let target = SheetXML.relationTarget(rels, id: id)
        else { return "xl/worksheets/sheet1.xml" }
        return target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
    }
}

/// The entries of a ZIP archive, found through its central directory.
struct ZipEntries {
    struct Entry {
        let method: Int
        let compressedSize: Int
        let size: Int
        let localOffset: Int
    }

    let bytes: [UInt8]
    let entries: [String: Entry]

    init?(_ bytes: [UInt8]) {
        self.bytes = bytes
        func u16(_ at: Int) -> Int { at + 2 <= bytes.count ? Int(bytes[at]) | Int(bytes[at + 1]) << 8 : 0 }
        func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }
        // The end record is in the last 64 KB + 22 bytes (its comment is at most 64 KB).
        guard bytes.count >= 22 else { return nil }
        var end = bytes.count - 22
        while end >= max(0, bytes.count - 65_557), u32(end) != 0x0605_4B50 { end -= 1 }
        guard end >= 0, u32(end) == 0x0605_4B50 else { return nil }
        var at = u32(end + 16)
        var entries: [String: Entry] = [:]
        for _ in 0..<u16(end + 10) {
            guard at + 46 <= bytes.count, u32(at) == 0x0201_4B50 else { return nil }
            let nameLength = u16(at + 28), extra = u16(at + 30), comment = u16(at + 32)
            guard at + 46 + nameLength <= bytes.count else { return nil }
            let name = String(decoding: bytes[(at + 46)..<(at + 46 + nameLength)], as: UTF8.self)
            entries[name] = Entry(method: u16(at + 10), compressedSize: u32(at + 20), size: u32(at + 24), localOffset: u32(at + 42))
            at += 46 + nameLength + extra + comment
        }
        self.entries = entries
    }

    /// An entry's bytes, nil when the archive has none of that name.
    func entry(_ name: String) throws -> [UInt8]? {
        guard let entry = entries[name] else { return nil }
        let local = entry.localOffset
        guard local + 30 <= bytes.count else { throw Inflate.Corrupt() }
        let start = local + 30 + (Int(bytes[local + 26]) | Int(bytes[local + 27]) << 8) + (Int(bytes[local + 28]) | Int(bytes[local + 29]) << 8)
        guard start + entry.compressedSize <= bytes.count else { throw Inflate.Corrupt() }
        let data = bytes[start..<(start + entry.compressedSize)]
        switch entry.method {
        case 0: return Array(data)
        case 8: return try Inflate.decompress(data, limit: XLSXReader.entryLimit)
        default: throw Inflate.Corrupt()
        }
    }
}

/// The few parts of SpreadsheetML an import needs, read with Foundation's XML parser.
enum SheetXML {
    /// Calls `element(name, attributes)` at each start tag, `text` for character data, `end(name)` at each end tag.
    final class Walker: NSObject, XMLParserDelegate {
        var start: (String, [String: String]) -> Void = { _, _ in }
        var end: (String) -> Void = { _ in }
        var text: (String) -> Void = { _ in }

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            start(local(name), attributes)
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) { end(local(name)) }
        func parser(_ parser: XMLParser, foundCharacters string: String) { text(string) }

        func local(_ name: String) -> String { name.split(separator: ":").last.map(String.init) ?? name }

        func run(_ bytes: [UInt8]) {
            let parser = XMLParser(data: Data(bytes))
            parser.delegate = self
            parser.parse()
        }
    }

    static func sharedStrings(_ bytes: [UInt8]) -> [String] {
        let walker = Walker()
        var strings: [String] = [], current = "", inText = false, inPhonetic = false
        walker.start = { name, _ in
            if name == "si" { current = "" }
            if name == "t" { inText = true }
            if name == "rPh" { inPhonetic = true }
        }
        walker.text = { text in if inText && !inPhonetic { current += text } }
        walker.end = { name in
            if name == "t" { inText = false }
            if name == "rPh" { inPhonetic = false }
            if name == "si" { strings.append(current) }
        }
        walker.run(bytes)
        return strings
    }

    /// For each cell style (index into cellXfs), whether it shows a date.
    static func dateStyles(_ bytes: [UInt8]) -> [Bool] {
        let walker = Walker()
        var custom: [Int: Bool] = [:], styles: [Bool] = [], inCellXfs = false
        walker.start = { name, attributes in
            if name == "numFmt", let id = attributes["numFmtId"].flatMap(Int.init) {
                // A format of days, months or years (quoted text and [colour] sections aside).
                let code = (attributes["formatCode"] ?? "").replacingOccurrences(of: #""[^"]*"|\[[^\]]*\]"#, with: "", options: .regularExpression)
                custom[id] = code.lowercased().contains { "ymd".contains($0) }
            }
            if name == "cellXfs" { inCellXfs = true }
            if name == "xf", inCellXfs {
                let id = attributes["numFmtId"].flatMap(Int.init) ?? 0
                styles.append(custom[id] ?? ((14...22).contains(id) || (27...36).contains(id) || (45...47).contains(id) || (50...58).contains(id)))
            }
        }
        walker.end = { name in if name == "cellXfs" { inCellXfs = false } }
        walker.run(bytes)
        return styles
    }

    static func firstSheetRelation(_ bytes: [UInt8]) -> String? {
        let walker = Walker()
        var id: String?
        walker.start = { name, attributes in
            if name == "sheet", id == nil { id = attributes["r:id"] ?? attributes.first { $0.key.hasSuffix(":id") }?.value }
        }
        walker.run(bytes)
        return id
    }

    static func relationTarget(_ bytes: [UInt8], id: String) -> String? {
        let walker = Walker()
        var target: String?
        walker.start = { name, attributes in if name == "Relationship", attributes["Id"] == id { target = attributes["Target"] } }
        walker.run(bytes)
        return target
    }

    /// The sheet's rows, each cell at the column its reference names (A, B, … AA).
    static func rows(_ bytes: [UInt8], strings: [String], dateStyles: [Bool]) -> [CSVRecord] {
        let walker = Walker()
        var rows: [CSVRecord] = [], values: [String] = [], rowNumber = 0
        var column = 0, type = "", style = 0, text = "", inValue = false
        walker.start = { name, attributes in
            switch name {
            case "row":
                rowNumber = attributes["r"].flatMap(Int.init) ?? rowNumber + 1
                values = []
                column = 0
            case "c":
                column = attributes["r"].map(columnIndex) ?? column
                type = attributes["t"] ?? "n"
                style = attributes["s"].flatMap(Int.init) ?? 0
                text = ""
            case "v", "t": inValue = true
            default: break
            }
        }
        walker.text = { chunk in if inValue { text += chunk } }
        walker.end = { name in
            switch name {
            case "v", "t": inValue = false
            case "c":
                var value = text
                if type == "s", let index = Int(text), index < strings.count { value = strings[index] }
                else if type == "b" { value = text == "1" ? "TRUE" : "FALSE" }
                else if type == "n", style < dateStyles.count, dateStyles[style], let serial = Double(text) { value = date(serial) }
                if values.count < column { values += [String](repeating: "", count: column - values.count) }
                if values.count == column { values.append(value) } else { values[column] = value }
                column += 1
            case "row": rows.append(CSVRecord(line: rowNumber, values: values))
            default: break
            }
        }
        walker.run(bytes)
        return rows
    }

    /// "C7" → 2.
    static func columnIndex(_ reference: String) -> Int {
        var index = 0
        for scalar in reference.unicodeScalars {
            guard (65...90).contains(scalar.value) else { break }
            index = index * 26 + Int(scalar.value - 64)
        }
        return max(index - 1, 0)
    }

    /// An Excel serial day (1900 system: day 1 is 1900-01-01, counting the 29 February it never had) as YYYY-MM-DD.
    static func date(_ serial: Double) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let epoch = calendar.date(from: DateComponents(year: 1899, month: 12, day: 30))!
        let day = calendar.date(byAdding: .day, value: Int(serial.rounded(.down)), to: epoch)!
        let parts = calendar.dateComponents([.year, .month, .day], from: day)
        return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
    }
}
