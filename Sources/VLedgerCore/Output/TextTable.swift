/// A plain-text table for people at a terminal. Chinese characters take two columns.
public struct TextTable: Sendable {
    public enum Alignment: Sendable { case left, right }

    public var header: [String]
    public var alignments: [Alignment]
    public var rows: [[String]] = []
    /// What the rows are (e.g. `district`): a header is read as `ui.col.CONTEXT.NAME` first, then `ui.col.NAME`.
    public var context: String?

    public init(header: [String], alignments: [Alignment]? = nil) {
        self.header = header
        self.alignments = alignments ?? Array(repeating: .left, count: header.count)
    }

    public mutating func append(_ row: [String]) {
        rows.append(row)
    }

    /// Headers and a few enumerated values (yes/no, M/F, statuses) read in `language`; the
    /// machine formats (CSV, JSON) never go through here.
    public func rendered(in language: Language = LanguageChoice.current) -> String {
        guard language != .en else { return renderedAsIs() }
        let names = Catalog.table(language)
        var copy = self
        copy.header = header.map { name in context.flatMap { names["ui.col.\($0).\(name)"] } ?? names["ui.col.\(name)"] ?? name }
        copy.rows = rows.map { row in row.map { cell in Self.translatedValues.contains(cell) ? names["ui.val.\(cell)"] ?? cell : cell } }
        return copy.renderedAsIs()
    }

    /// The cells that are words of vledger's, not data.
    public static let translatedValues: Set<String> = ["yes", "no", "M", "F", "pending", "approved", "rejected", "true", "false", "built-up", "all", "registered", "deregistered"]

    func renderedAsIs() -> String {
        var widths = header.map(Self.displayWidth)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], Self.displayWidth(cell))
            }
        }
        func format(_ row: [String]) -> String {
            row.enumerated().map { index, cell in
                let padding = String(repeating: " ", count: max(0, widths[index] - Self.displayWidth(cell)))
                return alignments[index] == .right ? padding + cell : cell + padding
            }.joined(separator: "  ").trimmingTrailingSpaces()
        }
        var lines = [format(header), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")]
        lines += rows.map(format)
        return lines.joined(separator: "\n") + "\n"
    }

    /// Columns a terminal gives the text: East Asian wide and full-width characters take two.
    public static func displayWidth(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { width, scalar in
            switch scalar.value {
            case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
                 0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
                 0xFFE0...0xFFE6, 0x20000...0x3FFFD:
                return width + 2
            case 0x0300...0x036F, 0x200B...0x200F:
                return width
            default:
                return width + 1
            }
        }
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
