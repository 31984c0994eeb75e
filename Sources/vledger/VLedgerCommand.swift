import ArgumentParser
import Foundation
import VLedgerCore

@main
struct VLedgerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vledger",
        abstract: "Volunteer registration and service-hours ledger for the civilised-city evaluation.",
        discussion: """
            Connects to --database-url or $VLEDGER_DATABASE_URL (any libpq connection string); with neither, \
            to a PostgreSQL cluster vledger starts itself in $VLEDGER_HOME.
            """,
        subcommands: [
            DbCommand.self,
            DistrictCommand.self,
            PopulationCommand.self,
            VolunteerCommand.self,
            ActivityCommand.self,
            HoursCommand.self,
            BenchCommand.self,
            UserCommand.self,
            AuditCommand.self,
            MetricsCommand.self,
            SampleCommand.self,
            StatementCommand.self,
        ]
    )

    /// One clear line on standard error and a non-zero status for every failure of ours;
    /// usage errors and --help stay with ArgumentParser.
    static func main() async {
        // The language is decided before parsing: help text is built from the catalog.
        let arguments: [String]
        do {
            let resolved = try LanguageChoice.resolve(
                arguments: Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment)
            LanguageChoice.set(resolved.language, source: resolved.source)
            arguments = resolved.arguments
        } catch let error as LanguageChoice.InvalidLanguage {
            fail(tr("error.invalid_language", ["value": error.value]) + Catalog.text("ui.see_help"), code: ExitCode.validationFailure.rawValue)
        } catch {
            fail("\(error)", code: 1)
        }
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if let line = UserMessage.lineIfOurs(error) {
                fail(line, code: 1)
            }
            // A usage error (unknown option, a value of the wrong kind) is one line too, with the
            // pointer to --help; help and version requests print as ArgumentParser prints them.
            let code = exitCode(for: error)
            if !code.isSuccess {
                let message = message(for: error).split(whereSeparator: \.isNewline).first.map(String.init) ?? "\(error)"
                fail(message + tr("ui.see_help"), code: code.rawValue)
            }
            exit(withError: error)
        }
    }

    static func fail(_ line: String, code: Int32) -> Never {
        // libpq's messages span lines; scripts and people read one.
        let oneLine = line.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        StandardError.write("vledger: error: \(oneLine)")
        Foundation.exit(code)
    }
}

