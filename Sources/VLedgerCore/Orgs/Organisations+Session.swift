import Foundation
import PostgresLibPQ

// The organisations' calls with their transactions chosen here (see `LedgerSession`).

extension Organisations {
    public static func add(_ new: NewOrganisation, in session: LedgerSession) async throws -> Int64 {
        try await session.write { db in try add(new, on: db) }
    }

    public static func list(district: String?, in session: LedgerSession) async throws -> [Organisation] {
        try await session.read { db in try list(district: district, on: db) }
    }

    /// One snapshot: the organisation's count of members agrees with the members listed.
    public static func show(_ key: String, in session: LedgerSession) async throws
        -> (organisation: Organisation, statuses: [OrganisationStatusRow], members: [OrganisationMemberRow], organisers: [String])
    {
        try await session.snapshot { db in try show(key, on: db) }
    }

    public static func setStatus(_ key: String, status text: String, on dateText: String, reason: String?, in session: LedgerSession) async throws {
        try await session.write { db in try setStatus(key, status: text, on: dateText, reason: reason, on: db) }
    }

    public static func addOrganiser(_ key: String, login: String, in session: LedgerSession) async throws {
        try await session.write { db in try addOrganiser(key, login: login, on: db) }
    }

    @discardableResult
    public static func join(_ key: String, volunteer: String, on dateText: String, in session: LedgerSession) async throws -> Int64 {
        try await session.write { db in try join(key, volunteer: volunteer, on: dateText, on: db) }
    }

    public static func leave(_ key: String, volunteer: String, on dateText: String, in session: LedgerSession) async throws {
        try await session.write { db in try leave(key, volunteer: volunteer, on: dateText, on: db) }
    }

    /// `name,kind,district_code,founded_on[,field,credit_code,parent]` (columns in any order, the
    /// Chinese headers of `HeaderAliases.organisations` too); a parent may be a row above. One bad
    /// row and nothing is written, unless `options.skipBad`. Returns the new ids in file order.
    public static func importFile(_ path: String, options: ImportOptions = ImportOptions(showProgress: false),
                                  in session: LedgerSession) async throws -> (ids: [Int64], outcome: ImportOutcome) {
        try await RowImport.run(path, aliases: HeaderAliases.organisations, required: importColumns, options: options, in: session) {
            table, skipBad, db in try apply(table, skipBad: skipBad, on: db)
        }
    }

    /// `org,volunteer,joined_on[,left_on]` (or 组织, 志愿者编号/身份证号, 加入日期, 退出日期): a
    /// membership a row, with its leaving when given; all rows or none, unless `options.skipBad`.
    /// Returns the ids of the memberships in file order.
    public static func importMembers(_ path: String, options: ImportOptions = ImportOptions(showProgress: false),
                                     in session: LedgerSession) async throws -> (ids: [Int64], outcome: ImportOutcome) {
        try await RowImport.run(path, aliases: HeaderAliases.memberships, required: memberColumns, options: options, in: session) {
            table, skipBad, db in try applyMembers(table, skipBad: skipBad, on: db)
        }
    }
}
