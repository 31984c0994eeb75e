import ArgumentParser
import VLedgerCore

struct RecognitionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recognition", abstract: tr("help.recognition.abstract"), discussion: tr("help.recognition.discussion"),
        subcommands: [RecognitionStars.self, RecognitionExemplary.self, RecognitionOrganisations.self, RecognitionCommunities.self,
                      RecognitionStarOrganisations.self])
}

struct RecognitionOptions: ParsableArguments {
    @Option(help: ArgumentHelp(tr("help.recognition.year"))) var year: Int
    @Option(help: ArgumentHelp(tr("help.org_list.format"))) var format: OutputFormat = .table
    @OptionGroup var database: DatabaseOptions

    func run(_ kind: RecognitionKind, top: Int = 10) async throws {
        let connection = try await database.connect()
        let report = try await RecognitionReports.run(kind, year: year, top: top, in: LedgerSession(connection))
        print(RecognitionOutput.render(report, format: format), terminator: "")
    }
}

struct RecognitionStars: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stars", abstract: tr("help.recognition_stars.abstract"))
    @OptionGroup var options: RecognitionOptions
    func run() async throws { try await options.run(.stars) }
}

struct RecognitionExemplary: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "exemplary", abstract: tr("help.recognition_exemplary.abstract"),
                                                    discussion: tr("help.recognition_exemplary.discussion"))
    @OptionGroup var options: RecognitionOptions
    @Option(help: ArgumentHelp(tr("help.recognition_exemplary.top"))) var top: Int = 10
    func run() async throws { try await options.run(.exemplary, top: top) }
}

struct RecognitionOrganisations: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "organisations", abstract: tr("help.recognition_organisations.abstract"),
                                                    discussion: tr("help.recognition_organisations.discussion"))
    @OptionGroup var options: RecognitionOptions
    func run() async throws { try await options.run(.organisations) }
}

struct RecognitionCommunities: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "communities", abstract: tr("help.recognition_communities.abstract"),
                                                    discussion: tr("help.recognition_communities.discussion"))
    @OptionGroup var options: RecognitionOptions
    func run() async throws { try await options.run(.communities) }
}

struct RecognitionStarOrganisations: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "star-organisations", abstract: tr("help.recognition_star_organisations.abstract"),
                                                    discussion: tr("help.recognition_star_organisations.discussion"))
    @OptionGroup var options: RecognitionOptions
    func run() async throws { try await options.run(.starOrganisations) }
}

/// People get an aligned table with ✓/✗ beside every figure; machines JSON and CSV with English keys.
enum RecognitionOutput {
    static func render(_ report: RecognitionReport, format: OutputFormat) -> String {
        switch format {
        case .json: return json(report).rendered() + "\n"
        case .csv:
            let header: [String] = report.fieldKeys + report.criterionKeys.flatMap { [$0, "\($0)_meets"] } + ["meets"]
            let rows: [[String]] = report.rows.map { row in
                let fields: [String] = row.fields.map { plain($0.1) }
                let figures: [String] = row.criteria.flatMap { [plain($0.value), $0.meets ? "true" : "false"] }
                return fields + figures + [row.meets ? "true" : "false"]
            }
            return CSVWriter.document(header: header, rows: rows)
        case .table: return table(report)
        }
    }

    static func plain(_ value: JSONValue) -> String {
        if case .string(let text) = value { return text }
        if case .null = value { return "" }
        return value.rendered()
    }

    static func json(criterion c: RecognitionCriterion) -> JSONValue {
        var pairs: [(String, JSONValue)] = [("criterion", .string(c.key)), ("value", c.value)]
        if let numerator = c.numerator { pairs.append(("numerator", .int(numerator))) }
        if let denominator = c.denominator { pairs.append(("denominator", .int(denominator))) }
        pairs.append(("operator", .string(c.op)))
        pairs.append(("threshold", .number(c.threshold)))
        pairs.append(("meets", .bool(c.meets)))
        return .object(pairs)
    }

    static func json(_ row: RecognitionRow) -> JSONValue {
        var pairs = row.fields
        pairs.append(("criteria", .array(row.criteria.map { json(criterion: $0) })))
        pairs.append(("meets", .bool(row.meets)))
        return .object(pairs)
    }

    static func json(_ report: RecognitionReport) -> JSONValue {
        let settings: [(String, JSONValue)] = report.settings.map { ($0.0, JSONValue.string($0.1)) }
        let rows: [JSONValue] = report.rows.map { json($0) }
        let meeting = Int64(report.rows.filter(\.meets).count)
        return .object([
            ("report", .string(report.kind.rawValue)), ("year", .int(Int64(report.year))), ("as_of", .string(report.asOf.description)),
            ("settings", .object(settings)), ("rows", .array(rows)), ("meeting", .int(meeting)),
        ])
    }

    static let operators = ["at_least": "≥", "more_than": ">", "equal": "="]

    /// A criterion's column: its own catalog name, or a star level's, built from its key.
    static func columnName(_ key: String) -> String {
        if Catalog.has("ui.col.recognition.\(key)") { return tr("ui.col.recognition.\(key)") }
        let parts = key.split(separator: "_")
        guard parts.count >= 2, parts[0].hasPrefix("level") else { return key }
        let level = String(parts[0].dropFirst(5))
        if parts[1].hasPrefix("star") { return tr("ui.recognition.level_share", ["level": level, "star": String(parts[1].dropFirst(4))]) }
        return tr("ui.recognition.level_\(parts[1])", ["level": level])
    }

    static func table(_ report: RecognitionReport) -> String {
        let header: [String] = report.fieldKeys + report.criterionKeys.map { columnName($0) } + ["meets"]
        var table = TextTable(header: header, alignments: header.indices.map { $0 < report.fieldKeys.count ? .left : .right })
        table.context = "recognition"
        for row in report.rows {
            let fields: [String] = row.fields.map { $0.0 == "kind" ? tr("ui.org.kind.\(plain($0.1))") : plain($0.1) }
            let figures: [String] = row.criteria.map { c in "\(c.figure) \(operators[c.op] ?? c.op) \(c.threshold) \(c.meets ? "✓" : "✗")" }
            table.append(fields + figures + [row.meets ? "✓" : "✗"])
        }
        let settings = report.settings.map { "\($0.0)=\($0.1)" }.joined(separator: "; ")
        let title = tr("ui.recognition.title.\(report.kind.rawValue)", ["year": String(report.year)])
        let summary = tr("ui.recognition.summary", ["meeting": String(report.rows.filter(\.meets).count), "rows": String(report.rows.count),
                                                    "as_of": report.asOf.description, "settings": settings])
        return title + "\n" + table.rendered() + summary + "\n"
    }
}
