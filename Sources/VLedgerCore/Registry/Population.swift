import Foundation
import PostgresLibPQ

/// One recorded figure of a district's permanent residents for a year.
public struct PopulationFigure: Sendable, Equatable {
    public let id: Int64
    public let districtCode: String
    public let districtName: String
    public let year: Int
    public let residents: Int64
    public let source: String?
    public let recordedBy: String
    public let recordedAt: Date
    /// True for the figure in force (the latest recorded, up to the moment asked about).
    public let inForce: Bool
}

/// Population figures from the statistics bureau. A new figure for a year is a new revision;
/// earlier ones are kept, so a report filed before a revision can be regenerated exactly.
public enum Population {
    public static func year(_ value: Int, field: String = "year") throws -> Int {
        guard (1949...9999).contains(value) else {
            throw RuleViolation(field: field, value: String(value), code: "population_year_range")
        }
        return value
    }

    public static func residents(_ value: Int64, field: String = "residents") throws -> Int64 {
        // A district has people: 0 would add its volunteers to a share and nothing to its base.
        guard value > 0 else { throw RuleViolation(field: field, value: String(value), code: "population_residents_positive") }
        return value
    }

    /// A figure as typed: digits (thousands separators allowed, as in the import), an optional
    /// leading minus so that a negative figure gets the positive-number rule's message.
    public static func residents(text: String, field: String = "residents") throws -> Int64 {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.first != "+", let value = Int64(trimmed.replacingOccurrences(of: ",", with: "")) else {
            throw RuleViolation(field: field, value: trimmed, code: "residents_whole")
        }
        guard value > 0 else {
            throw RuleViolation(field: field, value: trimmed, code: "population_residents_positive")
        }
        return value
    }

    @discardableResult
    public static func set(district: String, year: Int, residents: Int64, source: String? = nil, on db: isolated Connection) throws -> PopulationFigure {
        let district = try Districts.require(district, on: db)
        let year = try self.year(year)
        let residents = try self.residents(residents)
        let source = source?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        let id = try db.query("""
            INSERT INTO population_revision (district_code, year, residents, source)
            VALUES (\(district.code), \(year), \(residents), \(source)) RETURNING id
            """).single().decode(0, as: Int64.self)
        return try list(district: district.code, year: year, revisions: true, on: db).first { $0.id == id }!
    }

    /// Figures in force for each district and year (optionally filtered), or every revision.
    /// With `asRecordedAt`, revisions recorded later are ignored.
    public static func list(
        district: String? = nil, year: Int? = nil, revisions: Bool = false, asRecordedAt: Date? = nil, on db: isolated Connection
    ) throws -> [PopulationFigure] {
        if let district { _ = try Districts.require(district, on: db) }
        let rows = try db.query("""
            SELECT p.id, p.district_code, d.name, p.year, p.residents, p.source, p.recorded_by, p.recorded_at,
                   p.id = first_value(p.id) OVER (PARTITION BY p.district_code, p.year ORDER BY p.recorded_at DESC, p.id DESC) AS in_force
            FROM population_revision p
            JOIN district d ON d.code = p.district_code
            WHERE (\(district)::text IS NULL OR p.district_code = \(district))
              AND (\(year)::int IS NULL OR p.year = \(year))
              AND (\(asRecordedAt)::timestamptz IS NULL OR p.recorded_at <= \(asRecordedAt))
            ORDER BY p.district_code, p.year, p.recorded_at, p.id
            """)
        let figures = try rows.map { row in
            PopulationFigure(
                id: try row.decode(0), districtCode: try row.decode(1), districtName: try row.decode(2), year: try row.decode(3),
                residents: try row.decode(4), source: try row.decode(5), recordedBy: try row.decode(6), recordedAt: try row.decode(7),
                inForce: try row.decode(8))
        }
        return revisions ? figures : figures.filter(\.inForce)
    }

    /// Imports `district_code,year,residents[,source]`: each row a new revision, unless it repeats the
    /// figure already in force (then it is "already present", so a file imported twice adds nothing).
    public static func importFile(_ url: URL, options: ImportOptions = ImportOptions(), on db: isolated Connection) throws -> ImportOutcome {
        let document = try ImportSheet.read(url, options: options, aliases: HeaderAliases.populations, required: importColumns)
        let report = try db.transaction { tx in try apply(document, options: options, on: tx) }
        return try ImportSheet.committed(report, of: document, options: options)
    }

    static let importColumns = ["district_code", "year", "residents"]

    static func apply(_ document: CSVDocument, options: ImportOptions, on db: isolated Connection) throws -> ImportReport {
        let districts = Set(try db.query("SELECT code FROM district").map { try $0.decode(0, as: String.self) })
        var problems: [RuleViolation] = []
        var good: [(line: Int, code: String, year: Int, residents: Int64, source: String?)] = []
        var seen: [String: Int] = [:]
        for record in document.records {
            if let shape = document.shapeProblem(record) { problems.append(shape); continue }
            do {
                let code = SpreadsheetText.halfwidth(document.value(record, "district_code")).trimmingCharacters(in: .whitespaces)
                guard districts.contains(code) else {
                    throw RuleViolation(field: "district_code", value: code, code: code.isEmpty ? "required" : "unknown_district")
                }
                let yearText = SpreadsheetText.halfwidth(document.value(record, "year")).trimmingCharacters(in: .whitespaces)
                guard let yearValue = Int(yearText) else { throw RuleViolation(field: "year", value: yearText, code: "year_like") }
                let year = try self.year(yearValue)
                let residentsText = SpreadsheetText.halfwidth(document.value(record, "residents")).trimmingCharacters(in: .whitespaces)
                guard let value = Int64(residentsText.replacingOccurrences(of: ",", with: "")), residentsText.first != "+" else {
                    throw RuleViolation(field: "residents", value: residentsText, code: "residents_whole")
                }
                let residents = try self.residents(value)
                let key = "\(code)/\(year)"
                if let first = seen[key] {
                    throw RuleViolation(field: "district_code", value: code, code: "population_year_twice", args: ["year": "\(year)", "first": "\(first)", "second": "\(record.line)"])
                }
                seen[key] = record.line
                let source = document.value(record, "source").trimmingCharacters(in: .whitespaces).nilIfEmpty
                // The database's limit (0110), checked per row so the line is named.
                if let source, source.count > 200 { throw RuleViolation(field: "source", value: nil, code: "population_source_length") }
                good.append((record.line, code, year, residents, source))
            } catch var violation as RuleViolation {
                violation.line = record.line
                problems.append(violation)
            }
        }
        var report = ImportReport(file: document.source, totalRows: document.records.count, problems: problems)
        report.sortProblems()
        if !problems.isEmpty && !options.skipBad { throw VLedgerError.importRejected(report) }
        let current = Dictionary(
            try list(on: db).map { ("\($0.districtCode)/\($0.year)", $0.residents) }, uniquingKeysWith: { a, _ in a })
        let new = good.filter { current["\($0.code)/\($0.year)"] != $0.residents }
        report.skippedDuplicates = good.count - new.count
        if !new.isEmpty {
            report.applied = try db.execute("""
                INSERT INTO population_revision (district_code, year, residents, source)
                SELECT district_code, year, residents, nullif(source, '') FROM unnest(\(new.map(\.code))::text[], \(new.map(\.year))::int[], \(new.map(\.residents))::bigint[], \(new.map { $0.source ?? "" })::text[])
                    AS r(district_code, year, residents, source)
                """)
        }
        return report
    }
}

private extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
