import ArgumentParser
import Foundation
import VLedgerCore

struct CalendarCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calendar",
        abstract: tr("help.calendar.abstract"),
        subcommands: [CalendarList.self, CalendarImport.self]
    )
}

struct CalendarList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: tr("help.calendar_list.abstract"))

    @Option(help: ArgumentHelp(tr("help.calendar_list.year"))) var year: Int?
    @Option(help: ArgumentHelp(tr("help.calendar_list.format"))) var format: OutputFormat = .table
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let connection = try await database.connect()
        let days = try await WorkingCalendar.list(year: year, in: LedgerSession(connection))
        let header = ["day", "weekday", "kind", "name"]
        let rows = days.map { [$0.day.description, String($0.weekday), $0.kind.rawValue, $0.name] }
        switch format {
        case .table:
            guard !days.isEmpty else { print(tr("ui.calendar.none")); return }
            var table = TextTable(header: header)
            table.context = "calendar"
            days.forEach { table.append([$0.day.description, String($0.weekday), tr("ui.calendar.kind.\($0.kind.rawValue)"), $0.name]) }
            print(table.rendered(), terminator: "")
        case .csv:
            print(CSVWriter.document(header: header, rows: rows), terminator: "")
        case .json:
            print(JSONValue.array(days.map {
                .object([("day", .string($0.day.description)), ("weekday", .int(Int64($0.weekday))),
                         ("kind", .string($0.kind.rawValue)), ("name", .string($0.name))])
            }).rendered())
        }
    }
}

struct CalendarImport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: tr("help.calendar_import.abstract"),
        discussion: tr("help.calendar_import.discussion")
    )

    @Argument(help: ArgumentHelp(tr("help.calendar_import.file"))) var file: String
    @OptionGroup var importOptions: ImportFlags
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        try await ImportPrinter.run(importOptions, database) { options, session in
            try await WorkingCalendar.importFile(URL(fileURLWithPath: file), options: options, in: session)
        }
    }
}
