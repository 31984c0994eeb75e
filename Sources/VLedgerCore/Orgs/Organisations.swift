import Foundation
import PostgresLibPQ

/// A volunteer service organisation or team (0151) as listed.
public struct Organisation: Sendable, Equatable {
    public let id: Int64
    public let name: String
    /// registered, team or professional.
    public let kind: String
    public let field: String?
    public let creditCode: String?
    public let parentID: Int64?
    public let districtCode: String
    public let foundedOn: CalendarDate
    /// Its standing today (active, suspended, dissolved).
    public let status: String
    /// Members today.
    public let members: Int
}

public struct NewOrganisation: Sendable {
    public var name: String
    public var kind: String
    public var field: String?
    public var creditCode: String?
    public var parent: String?
    public var district: String
    public var foundedOn: String

    public init(name: String, kind: String, field: String? = nil, creditCode: String? = nil, parent: String? = nil,
                district: String, foundedOn: String) {
        self.name = name
        self.kind = kind
        self.field = field
        self.creditCode = creditCode
        self.parent = parent
        self.district = district
        self.foundedOn = foundedOn
    }
}

public struct OrganisationStatusRow: Sendable, Equatable {
    public let status: String
    public let effectiveOn: CalendarDate
    public let reason: String?
}

public struct OrganisationMemberRow: Sendable, Equatable {
    public let number: String
    public let name: String
    public let joinedOn: CalendarDate
    public let leftOn: CalendarDate?
}

/// Organisations, their standing, organiser links and memberships. The rules live in the
/// database (0151: check character, kinds, non-overlapping memberships, who acts for whom); the
/// Swift side parses arguments and names the organisation meant.
public enum Organisations {
    public static let kinds = ["registered", "team", "professional"]
    /// Chinese kinds as a spreadsheet writes them.
    static let kindWords = ["志愿服务组织": "registered", "注册组织": "registered", "组织": "registered",
                            "志愿服务队": "team", "服务队": "team", "队伍": "team",
                            "专业志愿服务队": "professional", "专业队": "professional", "专业队伍": "professional"]
    public static let statuses = ["active", "suspended", "dissolved"]
    static let statusWords = ["正常": "active", "活跃": "active", "暂停": "suspended", "停止活动": "suspended", "注销": "dissolved", "解散": "dissolved"]

    public static func kind(_ text: String, field: String = "kind") throws -> String {
        let key = text.trimmingCharacters(in: .whitespaces)
        if kinds.contains(key.lowercased()) { return key.lowercased() }
        if let kind = kindWords[key] { return kind }
        throw RuleViolation(field: field, value: key, code: "organisation_kind_known")
    }

    public static func add(_ new: NewOrganisation, on db: isolated Connection) throws -> Int64 {
        let name = new.name.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.count <= 100 else { throw RuleViolation(field: "name", value: name, code: "organisation_name_present") }
        let kind = try kind(new.kind)
        let district = try Districts.require(SpreadsheetText.halfwidth(new.district), on: db).code
        let founded = try DateInput.parse(new.foundedOn, field: "founded_on")
        let credit = new.creditCode.map { SpreadsheetText.halfwidth($0).trimmingCharacters(in: .whitespaces).uppercased() }.flatMap { $0.isEmpty ? nil : $0 }
        let professionalField = new.field.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        let parent = try new.parent.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }.map { try resolve($0, field: "parent", on: db) }
        if try db.query("SELECT 1 FROM organisation WHERE name = \(name)").count > 0 {
            throw RuleViolation(field: "name", value: name, code: "organisation_name_unique")
        }
        if let credit, try db.query("SELECT 1 FROM organisation WHERE credit_code = \(credit)").count > 0 {
            throw RuleViolation(field: "credit_code", value: credit, code: "organisation_credit_code_unique")
        }
        return try db.query("""
            INSERT INTO organisation (name, kind, field, credit_code, parent_id, district_code, founded_on)
            VALUES (\(name), \(kind), \(professionalField), \(credit), \(parent), \(district), \(founded))
            RETURNING id
            """).single().decode(0)
    }

    /// An ORG argument: its id, its exact name or its unified social credit code.
    public static func resolve(_ key: String, field: String = "org", on db: isolated Connection) throws -> Int64 {
        let trimmed = SpreadsheetText.halfwidth(key).trimmingCharacters(in: .whitespaces)
        let id = Int64(trimmed)
        guard let row = try db.query("""
            SELECT id FROM organisation WHERE id = \(id) OR name = \(trimmed) OR credit_code = \(trimmed.uppercased())
            ORDER BY id = \(id) DESC LIMIT 1
            """).first else {
            throw RuleViolation(field: field, value: trimmed, code: "no_such_organisation")
        }
        return try row.decode(0)
    }

    static let selectRows: SQL = """
        SELECT o.id, o.name, o.kind, o.field, o.credit_code, o.parent_id, o.district_code, o.founded_on,
               vl_organisation_status_on(o.id, vl_city_today()),
               (SELECT count(*) FROM organisation_membership m
                 WHERE m.organisation_id = o.id AND m.joined_on <= vl_city_today()
                   AND NOT EXISTS (SELECT 1 FROM organisation_leave l WHERE l.membership_id = m.id AND l.left_on <= vl_city_today()))
        FROM organisation o
        """

    static func decode(_ row: Row) throws -> Organisation {
        Organisation(id: try row.decode(0), name: try row.decode(1), kind: try row.decode(2), field: try row.decode(3),
                     creditCode: try row.decode(4), parentID: try row.decode(5), districtCode: try row.decode(6),
                     foundedOn: try row.decode(7), status: try row.decode(8), members: try row.decode(9))
    }

    public static func list(district: String?, on db: isolated Connection) throws -> [Organisation] {
        try db.query("\(selectRows) WHERE (\(district)::text IS NULL OR o.district_code = \(district)) ORDER BY o.id").map(decode)
    }

    public static func show(_ key: String, on db: isolated Connection)
        throws -> (organisation: Organisation, statuses: [OrganisationStatusRow], members: [OrganisationMemberRow], organisers: [String]) {
        let id = try resolve(key, on: db)
        let organisation = try decode(db.query("\(selectRows) WHERE o.id = \(id)").single())
        let statuses = try db.query("SELECT status, effective_on, reason FROM organisation_status WHERE organisation_id = \(id) ORDER BY effective_on")
            .map { OrganisationStatusRow(status: try $0.decode(0), effectiveOn: try $0.decode(1), reason: try $0.decode(2)) }
        // Numbers and names only, through the lookup every role may use.
        let members = try db.query("SELECT number, name, joined_on, left_on FROM vl_organisation_members(\(id))")
            .map { OrganisationMemberRow(number: try $0.decode(0), name: try $0.decode(1), joinedOn: try $0.decode(2), leftOn: try $0.decode(3)) }
        let organisers = try db.query("SELECT login FROM organisation_organiser WHERE organisation_id = \(id) ORDER BY login").map { try $0.decode(0, as: String.self) }
        return (organisation, statuses, members, organisers)
    }

    public static func setStatus(_ key: String, status text: String, on dateText: String, reason: String?, on db: isolated Connection) throws {
        let id = try resolve(key, on: db)
        let word = text.trimmingCharacters(in: .whitespaces)
        guard let status = statuses.contains(word.lowercased()) ? word.lowercased() : statusWords[word] else {
            throw RuleViolation(field: "status", value: word, code: "organisation_status_known")
        }
        let date = try DateInput.parse(dateText, field: "on")
        let reason = reason.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        if try db.query("SELECT 1 FROM organisation_status WHERE organisation_id = \(id) AND effective_on = \(date)").count > 0 {
            throw RuleViolation(field: "on", value: date.description, code: "organisation_status_one_per_day")
        }
        try db.execute("INSERT INTO organisation_status (organisation_id, status, effective_on, reason) VALUES (\(id), \(status), \(date), \(reason))")
    }

    public static func addOrganiser(_ key: String, login: String, on db: isolated Connection) throws {
        let id = try resolve(key, on: db)
        let login = login.trimmingCharacters(in: .whitespaces)
        if try db.query("SELECT 1 FROM organisation_organiser WHERE organisation_id = \(id) AND login = \(login)").count > 0 { return }
        try db.execute("INSERT INTO organisation_organiser (organisation_id, login) VALUES (\(id), \(login))")
    }

    @discardableResult
    public static func join(_ key: String, volunteer: String, on dateText: String, on db: isolated Connection) throws -> Int64 {
        let id = try resolve(key, on: db)
        let ref = try VolunteerLookup.resolve(volunteer, on: db)
        let date = try DateInput.parse(dateText, field: "on")
        try notFuture(date, on: db)
        return try db.query("INSERT INTO organisation_membership (organisation_id, volunteer_id, joined_on) VALUES (\(id), \(ref.id), \(date)) RETURNING id")
            .single().decode(0)
    }

    public static func leave(_ key: String, volunteer: String, on dateText: String, on db: isolated Connection) throws {
        let id = try resolve(key, on: db)
        let ref = try VolunteerLookup.resolve(volunteer, on: db)
        let date = try DateInput.parse(dateText, field: "on")
        try notFuture(date, on: db)
        guard let open = try db.query("""
            SELECT m.id FROM organisation_membership m
             WHERE m.organisation_id = \(id) AND m.volunteer_id = \(ref.id)
               AND NOT EXISTS (SELECT 1 FROM organisation_leave l WHERE l.membership_id = m.id)
            """).first else {
            throw RuleViolation(field: "volunteer", value: ref.number, code: "organisation_not_member")
        }
        try db.execute("INSERT INTO organisation_leave (membership_id, left_on) VALUES (\(try open.decode(0, as: Int64.self)), \(date))")
    }

    static func notFuture(_ date: CalendarDate, on db: isolated Connection) throws {
        let today = try Settings.today(timeZone: try Settings.load(db).timeZone, on: db)
        guard date <= today else {
            throw RuleViolation(field: "on", value: date.description, code: "not_future_today", args: ["today": "\(today)"])
        }
    }
}

extension HeaderAliases {
    public static let organisations: [String: [String]] = [
        "name": ["名称", "组织名称", "队伍名称"],
        "kind": ["类型", "组织类型"],
        "field": ["专业领域", "领域"],
        "credit_code": ["统一社会信用代码", "信用代码"],
        "parent": ["上级组织", "上级"],
        "district_code": ["所属区划", "区划代码", "所属区划代码"],
        "founded_on": ["成立日期", "成立时间"],
    ]

    public static let memberships: [String: [String]] = [
        "org": ["组织", "组织名称", "队伍", "队伍名称"],
        "volunteer": ["志愿者", "志愿者编号", "身份证号", "身份证号码"],
        "joined_on": ["加入日期", "加入时间"],
        "left_on": ["退出日期", "退出时间"],
    ]
}

extension Organisations {
    static let importColumns = ["name", "kind", "district_code", "founded_on"]

    static func apply(_ table: CSVDocument, skipBad: Bool, on db: isolated Connection) throws -> ([Int64], ImportReport) {
        try applyRows(table, skipBad: skipBad, on: db) { record, tx in
            func optional(_ column: String) -> String? {
                let value = table.value(record, column).trimmingCharacters(in: .whitespaces)
                return value.isEmpty ? nil : value
            }
            let new = NewOrganisation(name: table.value(record, "name"), kind: table.value(record, "kind"), field: optional("field"),
                                      creditCode: optional("credit_code"), parent: optional("parent"),
                                      district: table.value(record, "district_code"), foundedOn: table.value(record, "founded_on"))
            return try add(new, on: tx)
        }
    }

    static let memberColumns = ["org", "volunteer", "joined_on"]

    static func applyMembers(_ table: CSVDocument, skipBad: Bool, on db: isolated Connection) throws -> ([Int64], ImportReport) {
        try applyRows(table, skipBad: skipBad, on: db) { record, row in
            let org = table.value(record, "org"), volunteer = table.value(record, "volunteer")
            let id = try join(org, volunteer: volunteer, on: table.value(record, "joined_on"), on: row)
            let left = table.value(record, "left_on").trimmingCharacters(in: .whitespaces)
            if !left.isEmpty { try leave(org, volunteer: volunteer, on: left, on: row) }
            return id
        }
    }

    /// Each row in a savepoint, so that every bad row is found and reported (line, field, code)
    /// and undone alone; one bad row and nothing is kept unless `skipBad`.
    static func applyRows(_ table: CSVDocument, skipBad: Bool, on db: isolated Connection,
                          _ write: @Sendable (CSVRecord, isolated Connection) throws -> Int64) throws -> ([Int64], ImportReport) {
        var problems: [RuleViolation] = []
        var ids: [Int64] = []
        for record in table.records {
            if let shape = table.shapeProblem(record) {
                problems.append(shape)
                continue
            }
            do {
                ids.append(try db.transaction { tx in try write(record, tx) })
            } catch var violation as RuleViolation {
                violation.line = record.line
                problems.append(violation)
            } catch let error as PostgresError where error.kind == .server {
                let refusal = UserMessage.userFacing(for: error)
                problems.append(RuleViolation(field: refusal.field ?? "row", value: refusal.value, rule: refusal.ruleText(in: .en),
                                              line: record.line, code: refusal.code))
            }
        }
        var report = ImportReport(file: table.source, totalRows: table.records.count, applied: ids.count, problems: problems)
        report.sortProblems()
        if !problems.isEmpty && !skipBad {
            report.applied = 0
            throw VLedgerError.importRejected(report)
        }
        return (ids, report)
    }
}
