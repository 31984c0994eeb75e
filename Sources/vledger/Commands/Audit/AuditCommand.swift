import ArgumentParser

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Read and check the audit trail: who changed what, when, in a hash chain.",
        subcommands: [AuditVerify.self, AuditLog.self, AuditHead.self]
    )
}
