import Checksums
import Foundation
import PostgresLibPQ

/// The definitions and denominators behind the pack's figures: what each indicator divides by,
/// the population figures (source and year) in force at T, and the built-up districts the city
/// row sums.
struct EvidenceDefinitions {
    var year: MetricsReport
    var window: MetricsReport?
    var populations: [PopulationFigure]

    static let indicators: [(key: String, numerator: String, denominator: String, text: String)] = [
        ("registration_share", "registered", "population",
         "registered volunteers on the reference date / permanent residents (常住人口) of the population year"),
        ("participation_rate", "active", "registered",
         "registered volunteers with net approved minutes > 0 in the period / registered volunteers"),
        ("hours_per_volunteer", "approved_minutes / 60", "registered",
         "net approved minutes in the period of the registered volunteers / 60 / registered volunteers"),
        ("support_rate", "supportive", "sample",
         "supportive answers / answers of the survey waves held in the period, pooled; 95 % Wilson score interval beside it"),
    ]

    func period(_ report: MetricsReport) -> JSONValue {
        let request = report.request
        if let window = request.window { return window.json }
        return .object([("from", .string("\(request.year)-01-01")), ("through", .string(min(request.asOf, CalendarDate(year: request.year, month: 12, day: 31)!).description)),
                        ("registered_on", .string(request.asOf.description)), ("population_year", .int(request.year))])
    }

    func builtUp(_ report: MetricsReport) -> JSONValue {
        .array(report.districts.filter(\.builtUp).map { .object([("code", .string($0.code)), ("name", .string($0.name))]) })
    }

    var json: JSONValue {
        var members: [(String, JSONValue)] = [
            ("time_zone", .string(year.timeZone)),
            ("scope", .string(year.request.scope.rawValue)),
            ("city_row", .string(year.request.scope == .builtUp
                ? "sums over the districts in the built-up area (城市建成区) on the reference date, numerators and denominators alike"
                : "sums over every district")),
            ("targets", .object([
                ("registration_share", .number(year.request.targets.registrationShare.text)),
                ("participation_rate", .number(year.request.targets.participationRate.text)),
                ("hours_per_volunteer", .number(year.request.targets.hoursPerVolunteer.text)),
                ("support_rate", .number(year.request.supportTarget.text)),
            ])),
            ("meets", .string("the exact figure compared with the target before rounding; ratios printed to 4 decimals, hours to 2, half up")),
            ("indicators", .array(Self.indicators.map {
                .object([("key", .string($0.key)), ("numerator", .string($0.numerator)), ("denominator", .string($0.denominator)), ("definition", .string($0.text))])
            })),
            ("year", .object([("period", period(year)), ("built_up_districts", builtUp(year))])),
        ]
        if let window {
            members.append(("window", .object([("period", period(window)), ("built_up_districts", builtUp(window))])))
        }
        members.append(("population", .array(populations.map { figure in
            .object([("district_code", .string(figure.districtCode)), ("name", .string(figure.districtName)), ("year", .int(figure.year)),
                     ("residents", .int(figure.residents)), ("source", figure.source.map { .string($0) } ?? .null)])
        })))
        return .object(members)
    }
}

/// README.md of the pack, in Chinese and English (fixed, so the bytes do not depend on the
/// reader's language): what each file is, the definitions, and the commands that make it again.
enum EvidenceReadme {
    static func text(files: [EvidenceFile], definitions: EvidenceDefinitions, command: String, moment: String) -> String {
        let report = definitions.year
        var text = "# " + Catalog.text("ui.evidence.readme.title", ["year": String(report.request.year)], in: .zh)
            + " / " + Catalog.text("ui.evidence.readme.title", ["year": String(report.request.year)], in: .en) + "\n\n"
        for language in [Language.zh, .en] {
            text += Catalog.text("ui.evidence.readme.intro", ["at": moment, "zone": report.timeZone,
                                                    "head": report.auditHead.map { "\($0.id):\($0.hash)" } ?? "-"], in: language) + "\n\n"
        }
        text += "```sh\n" + command + "\nsha256sum -c SHA256SUMS\n```\n\n"
        text += "| file | sha256 | command |\n|---|---|---|\n"
        for file in files {
            text += "| \(file.name) | \(SHA256.hex(file.bytes)) | `\(file.command)` |\n"
        }
        text += "\n## " + Catalog.text("ui.evidence.readme.definitions", in: .zh) + " / " + Catalog.text("ui.evidence.readme.definitions", in: .en) + "\n\n"
        for indicator in EvidenceDefinitions.indicators {
            text += "- `\(indicator.key)` = \(indicator.numerator) / \(indicator.denominator): \(indicator.text)\n"
        }
        text += "- " + Catalog.text("ui.evidence.readme.population", in: .zh) + " / " + Catalog.text("ui.evidence.readme.population", in: .en) + ":\n"
        for figure in definitions.populations {
            text += "  - \(figure.districtCode) \(figure.districtName) \(figure.year): \(figure.residents)" + (figure.source.map { " (\($0))" } ?? "") + "\n"
        }
        text += "- " + Catalog.text("ui.evidence.readme.built_up", in: .zh) + " / " + Catalog.text("ui.evidence.readme.built_up", in: .en) + ": "
            + report.districts.filter(\.builtUp).map { "\($0.code) \($0.name)" }.joined(separator: ", ") + "\n"
        if let window = definitions.window?.request.window {
            text += "- " + Catalog.text("ui.evidence.readme.window", ["from": window.from.description, "through": window.through.description,
                                                            "visit": window.visit.description, "year": String(window.populationYear)], in: .zh) + "\n"
            text += "- " + Catalog.text("ui.evidence.readme.window", ["from": window.from.description, "through": window.through.description,
                                                            "visit": window.visit.description, "year": String(window.populationYear)], in: .en) + "\n"
        }
        return text
    }
}
