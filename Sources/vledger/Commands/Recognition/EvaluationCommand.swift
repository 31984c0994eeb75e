import ArgumentParser
import VLedgerCore

struct EvaluationCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "evaluation", abstract: tr("help.evaluation.abstract"),
                                                    subcommands: [EvaluationAdd.self, EvaluationList.self, EvaluationWithdraw.self])
}

struct EvaluationAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: tr("help.evaluation_add.abstract"),
                                                    discussion: tr("help.evaluation_add.discussion"))

    @Argument(help: ArgumentHelp(tr("help.org_join.volunteer"))) var volunteer: String
    @Option(help: ArgumentHelp(tr("help.evaluation_add.score"))) var score: String?
    @Option(help: ArgumentHelp(tr("help.evaluation_add.grade"))) var grade: String?
    @Option(help: ArgumentHelp(tr("help.evaluation_add.on"), valueName: "date")) var on: String
    @Option(name: .customLong("by"), help: ArgumentHelp(tr("help.evaluation_add.by"))) var evaluator: String
    @Option(help: ArgumentHelp(tr("help.evaluation_add.note"))) var note: String?
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let connection = try await database.connect()
        let id = try await Recognition.addEvaluation(volunteer: volunteer, score: score, grade: grade, on: on, evaluator: evaluator, note: note,
                                                     in: LedgerSession(connection))
        print(id)
    }
}

struct EvaluationList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: tr("help.evaluation_list.abstract"))

    @Option(help: ArgumentHelp(tr("help.training_list.volunteer"))) var volunteer: String?
    @Option(help: ArgumentHelp(tr("help.award_list.year"))) var year: Int?
    @Option(help: ArgumentHelp(tr("help.org_list.format"))) var format: OutputFormat = .table
    @OptionGroup var database: DatabaseOptions

    static let header = ["id", "number", "volunteer", "evaluated_on", "score", "grade", "evaluator", "note", "withdrawn_at", "withdrawn_reason"]

    func run() async throws {
        let connection = try await database.connect()
        let rows = try await Recognition.evaluations(volunteer: volunteer, year: year, in: LedgerSession(connection))
        func fields(_ e: EvaluationRow, people: Bool) -> [String] {
            let score: String = e.score.map { String($0) } ?? ""
            let grade: String = e.grade.map { people ? tr("ui.evaluation.grade.\($0)") : $0 } ?? ""
            return [String(e.id), e.number, e.volunteer, e.evaluatedOn.description, score, grade, e.evaluator, e.note ?? ""] + e.withdrawn.cells
        }
        switch format {
        case .csv: print(CSVWriter.document(header: Self.header, rows: rows.map { fields($0, people: false) }), terminator: "")
        case .table:
            var table = TextTable(header: Self.header, alignments: Self.header.indices.map { [0, 4].contains($0) ? .right : .left })
            table.context = "recognition"
            rows.forEach { table.append(fields($0, people: true)) }
            print(table.rendered(), terminator: "")
        case .json:
            print(JSONValue.array(rows.map(Self.json)).rendered())
        }
    }

    static func json(_ e: EvaluationRow) -> JSONValue {
        let score: JSONValue = e.score.map { .int(Int64($0)) } ?? .null
        let grade: JSONValue = e.grade.map { .string($0) } ?? .null
        let note: JSONValue = e.note.map { .string($0) } ?? .null
        return .object([("id", .int(e.id)), ("number", .string(e.number)), ("volunteer", .string(e.volunteer)),
                        ("evaluated_on", .string(e.evaluatedOn.description)), ("score", score), ("grade", grade),
                        ("evaluator", .string(e.evaluator)), ("note", note), ("withdrawn", e.withdrawn.json)])
    }
}
