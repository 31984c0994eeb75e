import Foundation

/// The support rate as JSON (the `support_rate` key of the metrics and `survey report`), CSV and
/// a table for people.
extension SupportRateReport {
    public var json: JSONValue {
        .object([
            ("from", .string(from.description)),
            ("to", .string(to.description)),
            ("target", .number(target.text)),
            ("confidence", .number("0.95")),
            ("margin", .number("0.03")),
            ("scope", .string(scope.rawValue)),
            ("city", city.map { .object($0.jsonMembers) } ?? .null),
            ("districts", .array(districts.map { district in
                .object([("code", .string(district.code)), ("name", .string(district.name)), ("built_up", .bool(district.builtUp))]
                        + district.figures.jsonMembers)
            })),
        ])
    }

    public static let csvHeader = [
        "level", "code", "name", "built_up", "waves", "sample", "supportive", "share", "wilson_lower", "wilson_upper",
        "sample_needed", "meets", "lower_bound_below_target",
    ]

    public var csvRows: [[String]] {
        districts.map { ["district", $0.code, $0.name, $0.builtUp ? "true" : "false"] + $0.figures.csvFields }
            + (city.map { [["city", "", "city (\(scope.rawValue))", ""] + $0.csvFields] } ?? [])
    }

    public var csv: String { CSVWriter.document(header: Self.csvHeader, rows: csvRows) }

    public var sheet: Sheet {
        Sheet(name: "支持率", header: Self.csvHeader, textRows: csvRows,
              numericColumns: Set(Self.csvHeader.dropFirst(3)))
    }

    /// One line per row whose interval reaches below the target (standard error).
    public var warnings: [String] {
        var lines = districts.filter { $0.figures.lowerBoundBelowTarget == true }.map { district in
            tr("ui.survey.lower_below_target", ["row": "\(district.code) \(district.name)", "lower": district.figures.interval.map { WilsonInterval.text($0.lower) } ?? "",
                                                "target": target.text, "sample": String(district.figures.sampleNeeded)])
        }
        if let city, city.lowerBoundBelowTarget == true {
            lines.append(tr("ui.survey.lower_below_target", ["row": tr("ui.metrics.city"), "lower": city.interval.map { WilsonInterval.text($0.lower) } ?? "",
                                                             "target": target.text, "sample": String(city.sampleNeeded)]))
        }
        return lines
    }

    public var table: String {
        var text = tr("ui.survey.title", ["from": from.description, "to": to.description, "target": target.text]) + "\n\n"
        var table = TextTable(
            header: ["code", "district", "built-up", "waves", "sample", "supportive", "share", "95% interval", "sample for ±3"],
            alignments: [.left, .left, .left, .right, .right, .right, .right, .right, .right])
        table.context = "survey"
        for district in districts {
            table.append([district.code, district.name, district.builtUp ? "yes" : "no"] + district.figures.tableFields)
        }
        if let city {
            table.append([tr("ui.metrics.city"), "", scope == .builtUp ? tr("ui.metrics.built_up") : tr("ui.metrics.all")] + city.tableFields)
        }
        text += table.rendered()
        text += "\n" + tr("ui.survey.note") + "\n"
        return text
    }
}

extension SupportRateFigures {
    var jsonMembers: [(String, JSONValue)] {
        [
            ("waves", .int(waves)),
            ("sample", .int(sample)),
            ("supportive", .int(supportive)),
            ("share", share.map { .number($0) } ?? .null),
            ("interval", interval.map { .object([("lower", .number(WilsonInterval.text($0.lower))), ("upper", .number(WilsonInterval.text($0.upper)))]) } ?? .null),
            ("sample_needed", .int(sampleNeeded)),
            ("meets", meets.map { .bool($0) } ?? .null),
            ("lower_bound_below_target", lowerBoundBelowTarget.map { .bool($0) } ?? .null),
        ]
    }

    var csvFields: [String] {
        func flag(_ value: Bool?) -> String { value.map { $0 ? "true" : "false" } ?? "" }
        return [String(waves), String(sample), String(supportive), share ?? "",
                interval.map { WilsonInterval.text($0.lower) } ?? "", interval.map { WilsonInterval.text($0.upper) } ?? "",
                String(sampleNeeded), flag(meets), flag(lowerBoundBelowTarget)]
    }

    var tableFields: [String] {
        [String(waves), String(sample), String(supportive), MetricsFigures.marked(share, meets),
         interval.map { "[\(WilsonInterval.text($0.lower)), \(WilsonInterval.text($0.upper))]" + (lowerBoundBelowTarget == true ? " !" : "") } ?? "-",
         String(sampleNeeded)]
    }
}

/// The metrics' fourth indicator: `support_rate`, null without survey waves in the year.
extension MetricsReport {
    var supportRateJSON: JSONValue { supportRate?.json ?? .null }
}
