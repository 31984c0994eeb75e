import ArgumentParser

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Database logins for people: staff, organisers, the office, admins.",
        discussion: """
            Each person connects with their own login (--database-url / VLEDGER_DATABASE_URL with their \
            user name); the database itself enforces what that login may read and write.
            """,
        subcommands: [UserAdd.self, UserList.self]
    )
}
