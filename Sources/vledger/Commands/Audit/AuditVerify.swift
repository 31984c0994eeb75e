import ArgumentParser
import Foundation
import VLedgerCore

struct AuditVerify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Recompute the audit hash chain and compare the tables with it; exit 0 only when it is intact.",
        discussion: """
            Recomputes every link of the chain, then compares every audited table's current rows with the last \
            image the trail holds of each (a row changed, added or removed with the triggers off, or in replica \
            mode, is reported). Prints the number of links and rows and the head of the chain. With --anchor \
            ID:HASH (a head filed earlier, see `vledger audit head`), also checks that the chain still holds that \
            link unchanged: deleted last links and a recomputed chain are caught once an anchor was filed. \
            On a problem, names the first one and exits 1.
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Option(help: ArgumentHelp("A head filed earlier, as `vledger audit head` prints it.", valueName: "id:hash"))
    var anchor: String?

    func run() async throws {
        let anchor = try self.anchor.map { try AuditTrail.Head.parse(anchor: $0) }
        let connection = try await database.connect()
        let result = try await connection.transaction(isolation: .repeatableRead, readOnly: true) { db in
            try AuditTrail.verify(anchor: anchor, on: db)
        }
        if let problem = result.problem {
            if let link = result.brokenLink {
                throw VLedgerError.refused("audit trail broken at link \(link): \(problem)")
            }
            throw VLedgerError.refused("audit trail does not match the tables: \(problem)")
        }
        print("audit trail intact: \(result.links) links, \(result.rows) rows, head link \(result.headLink.map(String.init) ?? "-") \(result.headHash ?? "-")"
            + (anchor.map { ", anchor \($0.id) held" } ?? ""))
    }
}

struct AuditHead: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "head",
        abstract: "Print the head of the audit chain (link number, hash, time): the anchor an office files outside the database.",
        discussion: """
            Text: `ID:HASH TIME` (TIME in UTC). File it with a report (or on paper, by e-mail to the provincial office): \
            `vledger audit verify --anchor ID:HASH` later checks that the chain still holds that link unchanged. \
            Every `metrics --format json` and every statement carries the head it was computed at ("audit_head").
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Option(help: ArgumentHelp("text or json.", valueName: "format"))
    var format: StatementFormat = .text

    func run() async throws {
        let connection = try await database.connect()
        let head = try await connection.transaction(readOnly: true) { db in try AuditTrail.head(on: db) }
        switch format {
        case .json: print((head?.json ?? .null).rendered())
        case .text:
            guard let head else { throw VLedgerError.refused("the audit trail is empty: there is no head yet") }
            print("\(head.anchor) \(head.recordedAt ?? "-")")
        }
    }
}
