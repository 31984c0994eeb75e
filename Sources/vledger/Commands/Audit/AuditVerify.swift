import ArgumentParser
import Foundation
import VLedgerCore

struct AuditVerify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Recompute the audit hash chain; exit 0 only when it is intact.",
        discussion: """
            Prints the number of links and rows and the head of the chain (link number and hash). Keep the \
            head with a filed report: the same link number with another hash later means history was rewritten. \
            On a broken chain, names the first link that is not what it was written as and exits 1.
            """
    )

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let connection = try await database.connect()
        let result = try await connection.transaction(isolation: .repeatableRead, readOnly: true) { db in
            try AuditTrail.verify(on: db)
        }
        if let problem = result.problem {
            throw VLedgerError.refused("audit trail broken at link \(result.brokenLink.map(String.init) ?? "?"): \(problem)")
        }
        print("audit trail intact: \(result.links) links, \(result.rows) rows, head link \(result.headLink.map(String.init) ?? "-") \(result.headHash ?? "-")")
    }
}
