import ArgumentParser
import Foundation
import VLedgerCore

struct AuditVerify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: tr("help.audit_verify.abstract"),
        discussion: tr("help.audit_verify.discussion")
    )

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let connection = try await database.connect()
        let result = try await connection.transaction(isolation: .repeatableRead, readOnly: true) { db in
            try AuditTrail.verify(on: db)
        }
        if let problem = result.problem {
            throw UserFacingError.error(.conflict, "audit_broken", ["link": result.brokenLink.map(String.init) ?? "?", "problem": "\(problem)"])
        }
        print(tr("ui.audit.intact", ["links": String(result.links), "rows": String(result.rows),
                                     "head": result.headLink.map(String.init) ?? "-", "hash": result.headHash ?? "-"]))
    }
}
