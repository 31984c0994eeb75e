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

    @Option(help: ArgumentHelp(tr("help.audit_verify.anchor"), valueName: "id:hash"))
    var anchor: String?

    func run() async throws {
        let anchor = try self.anchor.map { try AuditTrail.Head.parse(anchor: $0) }
        let connection = try await database.connect()
        let result = try await AuditTrail.verify(anchor: anchor, in: LedgerSession(connection))
        if let problem = result.problem {
            if let link = result.brokenLink {
                throw UserFacingError.error(.conflict, "audit_broken", ["link": String(link), "problem": "\(problem)"])
            }
            throw UserFacingError.error(.conflict, "audit_mismatch", ["problem": "\(problem)"])
        }
        print(tr("ui.audit.intact", ["links": String(result.links), "rows": String(result.rows),
                                     "head": result.headLink.map(String.init) ?? "-", "hash": result.headHash ?? "-"])
            + (anchor.map { tr("ui.audit.anchor_held", ["id": String($0.id)]) } ?? ""))
    }
}

struct AuditHead: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "head",
        abstract: tr("help.audit_head.abstract"),
        discussion: tr("help.audit_head.discussion")
    )

    @OptionGroup var database: DatabaseOptions

    @Option(help: ArgumentHelp(tr("help.audit_head.format"), valueName: "format"))
    var format: StatementFormat = .text

    func run() async throws {
        let connection = try await database.connect()
        let head = try await AuditTrail.head(in: LedgerSession(connection))
        switch format {
        case .json: print((head?.json ?? .null).rendered())
        case .text:
            guard let head else { throw UserFacingError.error(.conflict, "audit_empty") }
            print("\(head.anchor) \(head.recordedAt ?? "-")")
        }
    }
}
