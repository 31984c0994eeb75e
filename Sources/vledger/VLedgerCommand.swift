import ArgumentParser
import Foundation
import VLedgerCore

@main
struct VLedgerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vledger",
        abstract: tr("help.v_ledger.abstract"),
        discussion: tr("help.v_ledger.discussion"),
        subcommands: [
            DbCommand.self,
            DistrictCommand.self,
            PopulationCommand.self,
            VolunteerCommand.self,
            ActivityCommand.self,
            CategoryCommand.self,
            CalendarCommand.self,
            OrgCommand.self,
            PartyCommand.self,
            TrainingCommand.self,
            ProjectCommand.self,
            AwardCommand.self,
            EvaluationCommand.self,
            RecognitionCommand.self,
            HoursCommand.self,
            BenchCommand.self,
            UserCommand.self,
            AuditCommand.self,
            MetricsCommand.self,
            SurveyCommand.self,
            EvidenceCommand.self,
            SampleCommand.self,
            StatementCommand.self,
            ServeCommand.self,
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
            try ArgumentEncoding.requireUTF8()
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
                fail(UsageText.localized(message) + tr("ui.see_help"), code: code.rawValue)
            }
            if code.isSuccess, LanguageChoice.current != .en {
                // Help and version: ArgumentParser's own headings in the chosen language.
                print(localizedHelp(fullMessage(for: error)))
                Foundation.exit(0)
            }
            exit(withError: error)
        }
    }

    /// ArgumentParser writes its headings and its own flags' help in English; these are translated.
    static func localizedHelp(_ text: String) -> String {
        var lines = text.components(separatedBy: "\n")
        let headings = ["OVERVIEW:": "ui.help.overview", "USAGE:": "ui.help.usage", "OPTIONS:": "ui.help.options",
                        "ARGUMENTS:": "ui.help.arguments", "SUBCOMMANDS:": "ui.help.subcommands"]
        for index in lines.indices {
            for (english, key) in headings where lines[index].hasPrefix(english) {
                lines[index] = tr(key) + lines[index].dropFirst(english.count)
            }
            lines[index] = lines[index]
                .replacingOccurrences(of: "Show help information.", with: tr("ui.help.help_flag"))
                .replacingOccurrences(of: "Show the version.", with: tr("ui.help.version_flag"))
            if lines[index].hasPrefix("  See 'vledger help "), let range = lines[index].range(of: "' for detailed help.") {
                let command = lines[index].dropFirst("  See 'vledger help ".count).prefix { $0 != "'" }
                lines[index] = "  " + tr("ui.help.see_subcommand", ["command": String(command)])
                _ = range
            }
        }
        return lines.joined(separator: "\n")
    }

    static func fail(_ line: String, code: Int32) -> Never {
        // libpq's messages span lines; scripts and people read one.
        let oneLine = line.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        StandardError.write("vledger: error: \(oneLine)")
        Foundation.exit(code)
    }
}

