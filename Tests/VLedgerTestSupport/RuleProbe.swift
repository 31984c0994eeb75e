import PostgresLibPQ
import Testing
import VLedgerCore

/// Plain SQL fed to the database as a login would, and the refusal it must give: the rule's code
/// (the constraint of the error) and the field the user is told about.
public enum RuleProbe {
    /// The error of running `sql`, nil when it ran.
    public static func attempt(_ conn: Connection, _ sql: SQL) async -> PostgresError? {
        do { try await conn.execute(sql); return nil } catch let error as PostgresError { return error } catch { return nil }
    }

    public static func expectRule(_ error: PostgresError?, _ code: String, field: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(error?.constraint == code, "\(String(describing: error))", sourceLocation: sourceLocation)
        #expect(error.map { UserMessage.userFacing(for: $0).field } == field, "\(String(describing: error))", sourceLocation: sourceLocation)
    }
}
