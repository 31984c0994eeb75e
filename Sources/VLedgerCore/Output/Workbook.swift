/// One cell of a worksheet: text, a number (kept as the exact decimal text the JSON prints), or empty.
public enum SheetCell: Sendable, Equatable {
    case text(String)
    case number(String)
    case bool(Bool)
    case empty
}

/// A worksheet: a bold, frozen header row and data rows.
public struct Sheet: Sendable {
    public var name: String
    public var header: [String]
    public var rows: [[SheetCell]]

    public init(name: String, header: [String], rows: [[SheetCell]]) {
        self.name = name
        self.header = header
        self.rows = rows
    }

    /// A sheet from the rows a CSV rendering prints: cells of `numericColumns` that are plain
    /// decimal numbers become numbers, empty cells stay empty, everything else (ID numbers,
    /// volunteer numbers, district codes, dates) stays text so Excel never turns it into 2.1E+17.
    public init(name: String, header: [String], textRows: [[String]], numericColumns: Set<String>) {
        let numeric = header.map { numericColumns.contains($0) }
        self.init(name: name, header: header, rows: textRows.map { row in
            row.enumerated().map { index, value in
                if value.isEmpty { return .empty }
                if index < numeric.count, numeric[index] {
                    if Workbook.isPlainNumber(value) { return .number(value) }
                    if value == "true" || value == "false" { return .bool(value == "true") }
                }
                return .text(value)
            }
        })
    }
}

/// An Office Open XML workbook (.xlsx): [Content_Types].xml, package and workbook relationships,
/// workbook, styles, shared strings and one worksheet per sheet, in a ZIP container.
public struct Workbook: Sendable {
    public var sheets: [Sheet]

    public init(sheets: [Sheet]) {
        self.sheets = sheets
    }

    static let mainNamespace = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    static let relationshipNamespace = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    static let packageRelationships = "http://schemas.openxmlformats.org/package/2006/relationships"
    static let xmlDeclaration = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"

    public func data() -> [UInt8] {
        var strings = SharedStrings()
        let names = Self.uniqueSheetNames(sheets.map(\.name))
        let worksheets = sheets.map { worksheetXML($0, strings: &strings) }
        var zip = ZipArchive()
        zip.add("[Content_Types].xml", text: contentTypes())
        zip.add("_rels/.rels", text: Self.xmlDeclaration + """
            <Relationships xmlns="\(Self.packageRelationships)">\
            <Relationship Id="rId1" Type="\(Self.relationshipNamespace)/officeDocument" Target="xl/workbook.xml"/>\
            </Relationships>
            """)
        var workbook = Self.xmlDeclaration + "<workbook xmlns=\"\(Self.mainNamespace)\" xmlns:r=\"\(Self.relationshipNamespace)\"><sheets>"
        var relationships = Self.xmlDeclaration + "<Relationships xmlns=\"\(Self.packageRelationships)\">"
        for (index, name) in names.enumerated() {
            workbook += "<sheet name=\"\(Self.escape(name))\" sheetId=\"\(index + 1)\" r:id=\"rId\(index + 1)\"/>"
            relationships += "<Relationship Id=\"rId\(index + 1)\" Type=\"\(Self.relationshipNamespace)/worksheet\" Target=\"worksheets/sheet\(index + 1).xml\"/>"
        }
        workbook += "</sheets></workbook>"
        relationships += "<Relationship Id=\"rId\(names.count + 1)\" Type=\"\(Self.relationshipNamespace)/styles\" Target=\"styles.xml\"/>"
        relationships += "<Relationship Id=\"rId\(names.count + 2)\" Type=\"\(Self.relationshipNamespace)/sharedStrings\" Target=\"sharedStrings.xml\"/>"
        relationships += "</Relationships>"
        zip.add("xl/workbook.xml", text: workbook)
        zip.add("xl/_rels/workbook.xml.rels", text: relationships)
        zip.add("xl/styles.xml", text: Self.styles)
        zip.add("xl/sharedStrings.xml", text: strings.xml())
        for (index, sheet) in worksheets.enumerated() {
            zip.add("xl/worksheets/sheet\(index + 1).xml", text: sheet)
        }
        return zip.finished()
    }

    func contentTypes() -> String {
        var text = Self.xmlDeclaration + """
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
            <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
            <Default Extension="xml" ContentType="application/xml"/>\
            <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
            <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
            <Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>
            """
        for index in sheets.indices {
            text += "<Override PartName=\"/xl/worksheets/sheet\(index + 1).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        }
        return text + "</Types>"
    }

    /// Style 0 is the default; style 1 is the bold header.
    static let styles = xmlDeclaration + """
        <styleSheet xmlns="\(mainNamespace)">\
        <fonts count="2"><font><sz val="11"/><name val="等线"/></font><font><b/><sz val="11"/><name val="等线"/></font></fonts>\
        <fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\
        <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
        <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
        <cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
        <xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>\
        <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>\
        </styleSheet>
        """

    func worksheetXML(_ sheet: Sheet, strings: inout SharedStrings) -> String {
        var xml = Self.xmlDeclaration + "<worksheet xmlns=\"\(Self.mainNamespace)\">"
        xml += "<sheetViews><sheetView workbookViewId=\"0\"><pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/></sheetView></sheetViews>"
        xml += "<sheetData>"
        let allRows: [(cells: [SheetCell], style: Int)] = [(sheet.header.map { SheetCell.text($0) }, 1)] + sheet.rows.map { ($0, 0) }
        for (rowIndex, row) in allRows.enumerated() {
            let r = rowIndex + 1
            xml += "<row r=\"\(r)\">"
            for (columnIndex, cell) in row.cells.enumerated() {
                let reference = Self.columnName(columnIndex) + String(r)
                let style = row.style == 1 ? " s=\"1\"" : ""
                switch cell {
                case .empty: continue
                case .number(let value): xml += "<c r=\"\(reference)\"\(style)><v>\(value)</v></c>"
                case .bool(let value): xml += "<c r=\"\(reference)\"\(style) t=\"b\"><v>\(value ? 1 : 0)</v></c>"
                case .text(let value): xml += "<c r=\"\(reference)\"\(style) t=\"s\"><v>\(strings.index(value))</v></c>"
                }
            }
            xml += "</row>"
        }
        return xml + "</sheetData></worksheet>"
    }

    /// A, B, …, Z, AA, AB, …
    static func columnName(_ index: Int) -> String {
        var index = index
        var name = ""
        repeat {
            name = String(UnicodeScalar(UInt8(65 + index % 26))) + name
            index = index / 26 - 1
        } while index >= 0
        return name
    }

    /// `-12`, `0.1305`: what a number cell may hold exactly as JSON prints it.
    static func isPlainNumber(_ text: String) -> Bool {
        var body = Substring(text)
        if body.first == "-" { body = body.dropFirst() }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy { $0 >= 48 && $0 <= 57 } }) else { return false }
        // 16 significant digits or more would lose precision in a spreadsheet's double.
        return parts.reduce(0) { $0 + $1.count } <= 15
    }

    /// Excel's rules: at most 31 characters, none of []:*?/\, unique ignoring case.
    static func uniqueSheetNames(_ names: [String]) -> [String] {
        var used = Set<String>()
        return names.map { name in
            var clean = String(name.map { "[]:*?/\\".contains($0) ? "_" : $0 }.prefix(31))
            if clean.isEmpty { clean = "Sheet" }
            var candidate = clean
            var number = 2
            while used.contains(candidate.lowercased()) {
                candidate = String(clean.prefix(31 - String(number).count - 1)) + "_\(number)"
                number += 1
            }
            used.insert(candidate.lowercased())
            return candidate
        }
    }

    /// XML text: the five entities escaped, and characters XML 1.0 cannot hold (control
    /// characters) written as OOXML's `_xHHHH_`.
    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        var scalars = Array(text.unicodeScalars)[...]
        while let scalar = scalars.first {
            scalars = scalars.dropFirst()
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
            case "_" where scalars.count >= 5 && scalars.first == "x" && scalars.dropFirst().prefix(4).allSatisfy(\.properties.isASCIIHexDigit)
                && scalars.dropFirst(5).first == "_":
                // A literal "_x0041_" would be read as "A": escape its underscore.
                result += "_x005F_"
            case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF:
                let hex = String(scalar.value, radix: 16, uppercase: true)
                result += "_x" + String(repeating: "0", count: 4 - hex.count) + hex + "_"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}

struct SharedStrings {
    private var positions: [String: Int] = [:]
    private var strings: [String] = []
    private var uses = 0

    mutating func index(_ text: String) -> Int {
        uses += 1
        if let position = positions[text] { return position }
        positions[text] = strings.count
        strings.append(text)
        return strings.count - 1
    }

    func xml() -> String {
        var xml = Workbook.xmlDeclaration + "<sst xmlns=\"\(Workbook.mainNamespace)\" count=\"\(uses)\" uniqueCount=\"\(strings.count)\">"
        for text in strings {
            let preserve = text.first?.isWhitespace == true || text.last?.isWhitespace == true || text.contains("\n")
            xml += "<si><t" + (preserve ? " xml:space=\"preserve\"" : "") + ">" + Workbook.escape(text) + "</t></si>"
        }
        return xml + "</sst>"
    }
}
