import ArgumentParser
import VLedgerCore

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: tr("help.audit.abstract"),
        subcommands: [AuditVerify.self, AuditLog.self, AuditHead.self]
    )
}
