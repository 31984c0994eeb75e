import Foundation

/// The metrics as JSON (SPEC.md's shape and key order), CSV and a table for people.
extension MetricsReport {
    public var json: JSONValue {
        var members: [(String, JSONValue)] = [
            ("year", .int(request.year)),
            ("as_of", .string(request.asOf.description)),
        ]
        if let asRecordedAt { members.append(("as_recorded_at", .string(asRecordedAt))) }
        members += [
            ("time_zone", .string(timeZone)),
            ("scope", .string(request.scope.rawValue)),
            ("targets", .object([
                ("registration_share", .number(request.targets.registrationShare.text)),
                ("participation_rate", .number(request.targets.participationRate.text)),
                ("hours_per_volunteer", .number(request.targets.hoursPerVolunteer.text)),
            ])),
            // null when the login reads only part of the city: no row pretends to be the city.
            ("city", cityRow.map { .object($0.jsonMembers + Self.provenanceMembers(cityProvenance)) } ?? .null),
            ("districts", .array(districts.map { district in
                .object([
                    ("code", .string(district.code)),
                    ("name", .string(district.name)),
                    ("built_up", .bool(district.builtUp)),
                ] + district.figures.jsonMembers + Self.provenanceMembers(district.provenance))
            })),
            ("partial", .bool(isPartial)),
        ]
        if let districtsCovered { members.append(("districts_covered", .array(districtsCovered.map { .string($0) }))) }
        members.append(("warnings", .array(warnings.filter(\.belongsToTheFigures).map(\.json))))
        members += additionalMembers
        members.append(("audit_head", auditHead?.json ?? .null))
        return .object(members)
    }

    /// Monthly progress: an array of complete reports, each with its month.
    public static func json(months reports: [MetricsReport]) -> JSONValue {
        .array(reports.map { report in
            guard case .object(var members) = report.json else { return report.json }
            members.insert(("month", .string(String(report.request.asOf.description.prefix(7)))), at: 1)
            return .object(members)
        })
    }

    public static let csvHeader = [
        "level", "code", "name", "built_up", "population", "registered", "active", "approved_minutes",
        "registration_share", "participation_rate", "hours_per_volunteer",
        "meets_registration_share", "meets_participation_rate", "meets_hours_per_volunteer",
        "registrations_needed", "participants_needed", "hours_needed",
    ]

    /// One row per district (by code) and the city last.
    public var csvRows: [[String]] {
        districts.map { ["district", $0.code, $0.name, $0.builtUp ? "true" : "false"] + $0.figures.csvFields }
            + (cityRow.map { [["city", "", "city (\(request.scope.rawValue))", ""] + $0.csvFields] } ?? [])
    }

    public var csv: String { CSVWriter.document(header: Self.csvHeader, rows: csvRows) }

    public static func csv(months reports: [MetricsReport]) -> String {
        CSVWriter.document(
            header: ["as_of"] + csvHeader,
            rows: reports.flatMap { report in report.csvRows.map { [report.request.asOf.description] + $0 } })
    }

    /// The order people read districts in (the table, the dashboard): most targets missed first,
    /// then lowest registration share.
    public var districtsFurthestBehindFirst: [DistrictMetrics] {
        districts.sorted { lhs, rhs in
            let (l, r) = (lhs.figures, rhs.figures)
            if l.shortfallRank != r.shortfallRank { return l.shortfallRank > r.shortfallRank }
            let lShare = l.registrationShare.flatMap { Decimal(string: $0) } ?? -1
            let rShare = r.registrationShare.flatMap { Decimal(string: $0) } ?? -1
            if lShare != rShare { return lShare < rShare }
            return lhs.code < rhs.code
        }
    }

    /// For people: the districts furthest behind first (most targets missed, then lowest
    /// registration share), the city last, and the targets and rounding rule above and below.
    public var table: String {
        let targets = request.targets
        var text = tr("ui.metrics.title", ["year": String(request.year), "as_of": request.asOf.description])
            + (asRecordedAt.map { tr("ui.metrics.as_recorded", ["at": $0]) } ?? "")
            + tr("ui.metrics.time_zone", ["zone": timeZone])
            + Self.scopeText(districtsCovered, request.scope) + "\n"
        text += tr("ui.metrics.targets", ["share": targets.registrationShare.text, "rate": targets.participationRate.text,
                                          "hours": targets.hoursPerVolunteer.text]) + "\n\n"
        var table = TextTable(
            header: ["code", "district", "built-up", "population", "registered", "share", "active", "participation",
                     "hours/vol", "+registrations", "+participants", "+hours"],
            alignments: [.left, .left, .left, .right, .right, .right, .right, .right, .right, .right, .right, .right])
        for district in districtsFurthestBehindFirst {
            table.append([district.code, district.name, district.builtUp ? "yes" : "no"] + district.figures.tableFields)
        }
        if let cityRow {
            table.append([tr("ui.metrics.city"), "", request.scope == .builtUp ? tr("ui.metrics.built_up") : tr("ui.metrics.all")] + cityRow.tableFields)
        }
        text += table.rendered()
        text += provenanceLines
        if let districtsCovered {
            text += "\n" + tr("ui.metrics.partial_note", ["districts": districtsCovered.isEmpty ? tr("ui.metrics.none") : districtsCovered.joined(separator: ", ")]) + "\n"
        }
        text += "\n" + tr("ui.metrics.rounding") + "\n"
        return text
    }

    /// Monthly progress for people: the city row and the count of districts meeting each target.
    public static func table(months reports: [MetricsReport]) -> String {
        guard let first = reports.first else { return "" }
        var table = TextTable(
            header: ["as of", "registered", "share", "active", "participation", "hours/vol",
                     "districts ✓ share", "✓ participation", "✓ hours"],
            alignments: [.left, .right, .right, .right, .right, .right, .right, .right, .right])
        for report in reports {
            // A partial report has no city: its row sums the districts it covers, and says so below.
            let city = report.cityRow ?? MetricsFigures(
                report.districts.reduce(into: MetricsCounts(population: 0, registered: 0, active: 0, approvedMinutes: 0)) { sum, row in
                    if let total = sum.population, let population = row.figures.counts.population {
                        sum.population = total + population
                    } else {
                        sum.population = nil
                    }
                    sum.registered += row.figures.counts.registered
                    sum.active += row.figures.counts.active
                    sum.approvedMinutes += row.figures.counts.approvedMinutes
                }, targets: report.request.targets)
            func met(_ key: KeyPath<MetricsFigures, Bool?>) -> String {
                "\(report.districts.filter { $0.figures[keyPath: key] == true }.count)/\(report.districts.count)"
            }
            table.append([
                report.request.asOf.description, String(city.counts.registered),
                MetricsFigures.marked(city.registrationShare, city.meetsRegistrationShare),
                String(city.counts.active),
                MetricsFigures.marked(city.participationRate, city.meetsParticipationRate),
                MetricsFigures.marked(city.hoursPerVolunteer, city.meetsHoursPerVolunteer),
                met(\.meetsRegistrationShare), met(\.meetsParticipationRate), met(\.meetsHoursPerVolunteer),
            ])
        }
        let scope = scopeText(first.districtsCovered, first.request.scope)
        return tr("ui.metrics.monthly_title", ["year": String(first.request.year), "zone": first.timeZone]) + scope + "\n\n"
            + table.rendered()
            + "\n" + tr("ui.metrics.rounding") + "\n"
    }

    static func scopeText(_ districtsCovered: [String]?, _ scope: MetricsScope) -> String {
        if let districtsCovered {
            return tr("ui.metrics.partial", ["districts": districtsCovered.isEmpty ? tr("ui.metrics.none") : districtsCovered.joined(separator: ", ")])
        }
        return scope == .builtUp ? tr("ui.metrics.city_built_up") : tr("ui.metrics.city_all")
    }
}

extension MetricsWarning {
    /// `{"code": "...", "district": ..., "registered": ..., "population": ..., "message": "..."}`:
    /// the keys that apply to the code, then the sentence in English.
    public var json: JSONValue {
        var members: [(String, JSONValue)] = [("code", .string(code.rawValue))]
        if let district { members.append(("district", .string(district))) }
        if let districts { members.append(("districts", .array(districts.map { .string($0) }))) }
        if let registered { members.append(("registered", .int(registered))) }
        if let population { members.append(("population", .int(population))) }
        members.append(("message", .string(message)))
        return .object(members)
    }
}

extension MetricsFigures {
    var jsonMembers: [(String, JSONValue)] {
        func optionalNumber(_ text: String?) -> JSONValue { text.map { .number($0) } ?? .null }
        func optionalBool(_ value: Bool?) -> JSONValue { value.map { .bool($0) } ?? .null }
        return [
            ("population", counts.population.map { .int($0) } ?? .null),
            ("registered", .int(counts.registered)),
            ("active", .int(counts.active)),
            ("approved_minutes", .int(counts.approvedMinutes)),
            ("registration_share", optionalNumber(registrationShare)),
            ("participation_rate", optionalNumber(participationRate)),
            ("hours_per_volunteer", optionalNumber(hoursPerVolunteer)),
            ("meets", .object([
                ("registration_share", optionalBool(meetsRegistrationShare)),
                ("participation_rate", optionalBool(meetsParticipationRate)),
                ("hours_per_volunteer", optionalBool(meetsHoursPerVolunteer)),
            ])),
            ("gaps", .object([
                ("registrations_needed", registrationsNeeded.map { .int($0) } ?? .null),
                ("participants_needed", .int(participantsNeeded)),
                ("hours_needed", .number(hoursNeeded)),
            ])),
        ]
    }

    var csvFields: [String] {
        func flag(_ value: Bool?) -> String { value.map { $0 ? "true" : "false" } ?? "" }
        return [
            counts.population.map(String.init) ?? "", String(counts.registered), String(counts.active), String(counts.approvedMinutes),
            registrationShare ?? "", participationRate ?? "", hoursPerVolunteer ?? "",
            flag(meetsRegistrationShare), flag(meetsParticipationRate), flag(meetsHoursPerVolunteer),
            registrationsNeeded.map(String.init) ?? "", String(participantsNeeded), hoursNeeded,
        ]
    }

    var tableFields: [String] {
        [
            counts.population.map(String.init) ?? "-", String(counts.registered),
            Self.marked(registrationShare, meetsRegistrationShare), String(counts.active),
            Self.marked(participationRate, meetsParticipationRate), Self.marked(hoursPerVolunteer, meetsHoursPerVolunteer),
            registrationsNeeded.map(String.init) ?? "-", String(participantsNeeded), hoursNeeded,
        ]
    }

    static func marked(_ figure: String?, _ meets: Bool?) -> String {
        guard let figure, let meets else { return "- -" }
        return figure + (meets ? " ✓" : " ✗")
    }
}
