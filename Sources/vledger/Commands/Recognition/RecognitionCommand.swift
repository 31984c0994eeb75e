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
        let report = try await RecognitionReports.run(kind, year: year, top: top, on: connection)
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
            let header = report.fieldKeys + report.criterionKeys.flatMap { [$0, "\($0)_meets"] } + ["meets"]
            return CSVWriter.document(header: header, rows: report.rows.map { row in
                row.fields.map { plain($0.1) } + row.criteria.flatMap { [plain($0.value), $0.meets ? "true" : "false"] } + [row.meets ? "true" : "false"]
            })
        case .table: return table(report)
        }
    }

    static func plain(_ value: JSONValue) -> String {
        if case .string(let text) = value { return text }
        if case .null = value { return "" }
        return value.rendered()
    }

    static func json(_ report: RecognitionReport) -> JSONValue {
        .object([
            ("report", .string(report.kind.rawValue)), ("year", .int(Int64(report.year))), ("as_of", .string(report.asOf.description)),
            ("settings", .object(report.settings.map { ($0.0, .string($0.1)) })),
            ("rows", .array(report.rows.map { row in
                .object(row.fields + [
                    ("criteria", .array(row.criteria.map { c in
                        .object([("criterion", .string(c.key)), ("value", c.value)]
                                + (c.numerator.map { [("numerator", JSONValue.int($0))] } ?? [])
                                + (c.denominator.map { [("denominator", JSONValue.int($0))] } ?? [])
                                + [("operator", .string(c.op)), ("threshold", .number(c.threshold)), ("meets", .bool(c.meets))])
                    })),
                    ("meets", .bool(row.meets)),
                ])
            })),
            ("meeting", .int(Int64(report.rows.filter(\.meets).count))),
        ])
    }

    static let operators = ["at_least": "≥", "more_than": ">", "equal": "="]

    /// A criterion's column: its own catalog name, or a star level's, built from its key.
    static func header(_ key: String) -> String {
        if Catalog.has("ui.col.recognition.\(key)") { return tr("ui.col.recognition.\(key)") }
        let parts = key.split(separator: "_")
        guard parts.count >= 2, parts[0].hasPrefix("level") else { return key }
        let level = String(parts[0].dropFirst(5))
        if parts[1].hasPrefix("star") { return tr("ui.recognition.level_share", ["level": level, "star": String(parts[1].dropFirst(4))]) }
        return tr("ui.recognition.level_\(parts[1])", ["level": level])
    }

    static func table(_ report: RecognitionReport) -> String {
        let header = report.fieldKeys + report.criterionKeys.map(header) + ["meets"]
        var table = TextTable(header: header, alignments: header.indices.map { $0 < report.fieldKeys.count ? .left : .right })
        table.context = "recognition"
        for row in report.rows {
            let fields = row.fields.map { key, value in key == "kind" ? tr("ui.org.kind.\(plain(value))") : plain(value) }
            table.append(fields + row.criteria.map { c in
                "\(c.figure) \(operators[c.op] ?? c.op) \(c.threshold) \(c.meets ? "✓" : "✗")"
            } + [row.meets ? "✓" : "✗"])
        }
        let settings = report.settings.map { "\($0.0)=\($0.1)" }.joined(separator: "; ")
        return tr("ui.recognition.title.\(report.kind.rawValue)", ["year": String(report.year)]) + "\n"
            + table.rendered()
            + tr("ui.recognition.summary", ["meeting": String(report.rows.filter(\.meets).count), "rows": String(report.rows.count),
                                            "as_of": report.asOf.description, "settings": settings]) + "\n"
    }
}
