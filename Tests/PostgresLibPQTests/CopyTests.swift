import Foundation
import PostgresLibPQ
import Testing
import VLedgerTestSupport

struct CopyTests {
    struct Stop: Error {}

    static let awkwardValues: [String?] = [
        "普通的中文 凤凰城街道", "tab\there", "new\nline", "carriage\rreturn", #"back\slash"#, #"\N"#, #"\."#,
        ".", "", nil, "emoji 🎉👩‍👩‍👧‍👦", "quote'\"", "\\\\", "trailing\\", "NULL", " spaced ",
    ]

    static func row(_ index: Int) -> [String?] {
        let value = awkwardValues[index % awkwardValues.count]
        let note: String? = index % 7 == 0 ? nil : "第\(index)行\t\(index % 3 == 0 ? "x\ny" : "z")"
        return [String(index), value, note]
    }

    @Test func copiesOneHundredThousandAwkwardRowsExactly() async throws {
        try await withConnection { _, connection in
            try await connection.execute("CREATE TABLE staging (id int8 PRIMARY KEY, value text, note text)")
            let rowCount = 100_000
            let (loaded, written) = try await connection.withIsolated { db in
                var written = 0
                let loaded = try db.copyIn("COPY staging (id, value, note) FROM STDIN") { writer in
                    for index in 0..<rowCount { try writer.write(Self.row(index)) }
                    written = writer.rowsWritten
                }
                return (loaded, written)
            }
            #expect(loaded == rowCount)
            #expect(written == rowCount)

            let expectedBytes = (0..<rowCount).reduce(0) { sum, index in
                sum + (Self.row(index)[1]?.utf8.count ?? 0) + (Self.row(index)[2]?.utf8.count ?? 0)
            }
            let summary = try await connection.query("""
                SELECT count(*), count(*) FILTER (WHERE value IS NULL), count(*) FILTER (WHERE note IS NULL),
                       sum(coalesce(octet_length(value), 0) + coalesce(octet_length(note), 0))
                FROM staging
                """).single()
            #expect(try summary.decode(0, as: Int.self) == rowCount)
            #expect(try summary.decode(1, as: Int.self) == (0..<rowCount).filter { Self.row($0)[1] == nil }.count)
            #expect(try summary.decode(2, as: Int.self) == (0..<rowCount).filter { $0 % 7 == 0 }.count)
            #expect(try summary.decode(3, as: Int64.self) == Int64(expectedBytes))

            let rows = try await connection.query("SELECT id, value, note FROM staging ORDER BY id")
            var mismatches = 0
            for row in rows {
                let index = try row.decode(0, as: Int.self)
                let expected = Self.row(index)
                if try row.decode(1, as: String?.self) != expected[1] || row.decode(2, as: String?.self) != expected[2] {
                    mismatches += 1
                }
            }
            #expect(mismatches == 0)
        }
    }

    @Test func emptyStringAndNullStayDistinct() async throws {
        try await withConnection { _, connection in
            try await connection.execute("CREATE TABLE staging (n int, value text)")
            try await connection.withIsolated { db in
                try db.copyIn("COPY staging FROM STDIN") { writer in
                    try writer.write(["1", ""])
                    try writer.write(["2", nil])
                    try writer.write(["3", #"\N"#])
                }
            }
            let rows = try await connection.query("SELECT value, value IS NULL FROM staging ORDER BY n")
            #expect(try rows.map { try $0.decode(0, as: String?.self) } == ["", nil, #"\N"#])
            #expect(try rows.map { try $0.decode(1, as: Bool.self) } == [false, true, false])
        }
    }

    @Test func aThrowingBodyAbortsTheCopyAndLoadsNothing() async throws {
        try await withConnection { database, connection in
            try await connection.execute("CREATE TABLE staging (id int8, value text)")
            await #expect(throws: Stop.self) {
                try await connection.withIsolated { db in
                    try db.copyIn("COPY staging FROM STDIN") { writer in
                        // Past several chunks, so some rows have already reached the server.
                        for index in 0..<60_000 { try writer.write([String(index), "张三 \(index)"]) }
                        throw Stop()
                    }
                }
            }
            #expect(try await committedCount("staging", in: database) == 0)
            #expect(await connection.isUsable)
            let loaded = try await connection.withIsolated { db in
                try db.copyIn("COPY staging FROM STDIN") { writer in try writer.write(["1", "after"]) }
            }
            #expect(loaded == 1)
            #expect(try await connection.query("SELECT value FROM staging").single().decode(0, as: String.self) == "after")
        }
    }

    @Test func aBadRowReportsTheServerErrorAndLoadsNothing() async throws {
        try await withConnection { database, connection in
            try await connection.execute("CREATE TABLE staging (id int8, value text)")
            let error = await #expect(throws: PostgresError.self) {
                try await connection.withIsolated { db in
                    try db.copyIn("COPY staging FROM STDIN") { writer in
                        for index in 0..<100_000 {
                            try writer.write([index == 70_000 ? "七万" : String(index), "value \(index)"])
                        }
                    }
                }
            }
            #expect(error?.kind == .server)
            #expect(error?.sqlState == .invalidTextRepresentation)
            #expect(error?.message.contains("bigint") == true)
            #expect(try await committedCount("staging", in: database) == 0)
            #expect(await connection.isUsable)
            #expect(try await connection.query("SELECT 1").count == 1)
        }
    }

    @Test func aRowWithTheWrongNumberOfFieldsIsAServerError() async throws {
        try await withConnection { database, connection in
            try await connection.execute("CREATE TABLE staging (id int8, value text)")
            let error = await #expect(throws: PostgresError.self) {
                try await connection.withIsolated { db in
                    try db.copyIn("COPY staging FROM STDIN") { writer in
                        try writer.write(["1", "a"])
                        try writer.write(["2"])
                    }
                }
            }
            #expect(error?.sqlState == SQLState("22P04"))
            #expect(try await committedCount("staging", in: database) == 0)
        }
    }

    @Test func aNulInAValueIsRefusedAndTheRowIsNotHalfWritten() async throws {
        try await withConnection { _, connection in
            try await connection.execute("CREATE TABLE staging (id int8, value text)")
            let loaded = try await connection.withIsolated { db in
                try db.copyIn("COPY staging FROM STDIN") { writer in
                    try writer.write(["1", "before"])
                    // A caller may skip a bad row and go on; the refused row must leave no bytes behind.
                    do {
                        try writer.write(["2", "bad\u{0}value"])
                        Issue.record("a NUL must be refused")
                    } catch let error as PostgresError {
                        #expect(error.message.contains("NUL"))
                    }
                    try writer.write(["3", "after"])
                }
            }
            #expect(loaded == 2)
            let rows = try await connection.query("SELECT id, value FROM staging ORDER BY id")
            #expect(try rows.map { try $0.decode(1, as: String.self) } == ["before", "after"])
            #expect(try rows.map { try $0.decode(0, as: Int.self) } == [1, 3])
        }
    }

    @Test func aNulLetThroughTheBodyAbortsTheCopy() async throws {
        try await withConnection { database, connection in
            try await connection.execute("CREATE TABLE staging (id int8, value text)")
            let error = await #expect(throws: PostgresError.self) {
                try await connection.withIsolated { db in
                    try db.copyIn("COPY staging FROM STDIN") { writer in
                        try writer.write(["1", "fine"])
                        try writer.write(["2", "bad\u{0}value"])
                    }
                }
            }
            #expect(error?.message.contains("NUL") == true)
            #expect(try await committedCount("staging", in: database) == 0)
        }
    }

    @Test func anAbortedCopyInsideATransactionRollsTheTransactionBack() async throws {
        try await withConnection { database, connection in
            try await connection.execute("CREATE TABLE staging (id int8)")
            try await connection.execute("CREATE TABLE batch (id int8)")
            await #expect(throws: Stop.self) {
                try await connection.transaction { db in
                    try db.execute("INSERT INTO batch VALUES (1)")
                    try db.copyIn("COPY staging FROM STDIN") { writer in
                        try writer.write(["1"])
                        throw Stop()
                    }
                }
            }
            #expect(try await committedCount("batch", in: database) == 0)
            #expect(try await committedCount("staging", in: database) == 0)
            #expect(await connection.isUsable)
        }
    }

    @Test func copyInsideATransactionCommitsWithIt() async throws {
        try await withConnection { database, connection in
            try await connection.execute("CREATE TABLE staging (id int8)")
            let loaded = try await connection.transaction { db in
                try db.copyIn("COPY staging FROM STDIN") { writer in
                    for index in 0..<1000 { try writer.write([String(index)]) }
                }
            }
            #expect(loaded == 1000)
            #expect(try await committedCount("staging", in: database) == 1000)
        }
    }

    @Test func statementsThatAreNotCopyFromStdinAreRefusedAndTheConnectionStaysUsable() async throws {
        try await withConnection { _, connection in
            try await connection.execute("CREATE TABLE staging (id int8)")
            try await connection.execute("INSERT INTO staging SELECT generate_series(1, 3)")
            let parameter = await #expect(throws: PostgresError.self) {
                try await connection.withIsolated { db in
                    try db.copyIn("COPY staging FROM STDIN WHERE id > \(1)") { _ in }
                }
            }
            #expect(parameter?.kind == .protocolViolation)
            for statement: SQL in ["SELECT 1", "COPY staging TO STDOUT", "COPY no_such_table FROM STDIN"] {
                await #expect(throws: PostgresError.self) {
                    try await connection.withIsolated { db in
                        try db.copyIn(statement) { writer in try writer.write(["9"]) }
                    }
                }
                #expect(await connection.isUsable, "after \(statement)")
                #expect(try await connection.query("SELECT count(*) FROM staging").single().decode(0, as: Int.self) == 3)
            }
        }
    }

    /// A COPY sent through query/execute/executeScript is refused without leaving the connection in COPY mode.
    @Test(arguments: ["COPY staging FROM STDIN", "COPY staging TO STDOUT", "COPY (SELECT 1) TO STDOUT"])
    func copyThroughTheWrongCallIsRefusedAndTheConnectionStaysUsable(_ statement: String) async throws {
        try await withConnection { _, connection in
            try await connection.execute("CREATE TABLE staging (id int8)")
            try await connection.execute("INSERT INTO staging SELECT generate_series(1, 3)")
            let error = await #expect(throws: PostgresError.self) { try await connection.query("\(unsafeRaw: statement)") }
            #expect(error?.kind == .protocolViolation)
            #expect(await connection.isUsable)
            #expect(try await connection.query("SELECT count(*) FROM staging").single().decode(0, as: Int.self) == 3)
            await #expect(throws: PostgresError.self) { try await connection.executeScript(unsafeSQL: statement + "; SELECT 1") }
            #expect(await connection.isUsable)
            #expect(try await connection.query("SELECT count(*) FROM staging").single().decode(0, as: Int.self) == 3)
        }
    }
}
