import Foundation
import PostgresLibPQ
import Testing
import VLedgerTestSupport

/// The statement text never carries a value: every interpolation is a `$n` parameter.
struct SQLTests {
    static let bobby = "Robert'); DROP TABLE student; --"

    @Test func interpolatedValuesBecomeNumberedParameters() {
        let name = Self.bobby
        let age = 14
        let missing: String? = nil
        let sql: SQL = "INSERT INTO student (name, age, note) VALUES (\(name), \(age), \(missing))"
        let (text, parameters) = sql.rendered
        #expect(text == "INSERT INTO student (name, age, note) VALUES ($1, $2, $3)")
        #expect(parameters == [name, "14", nil])
        #expect(!sql.description.contains("DROP"))
        #expect(sql.description == text)
    }

    @Test func everyKindOfTextValueIsAParameter() {
        let substring = Self.bobby.dropFirst(2)
        let optional: String? = Self.bobby
        let names = [Self.bobby]
        let sql: SQL = "SELECT \(substring), \(optional), \(names), \(Self.bobby)"
        let (text, parameters) = sql.rendered
        #expect(text == "SELECT $1, $2, $3, $4")
        #expect(parameters.count == 4)
        #expect(!text.contains("Robert"))
    }

    @Test func aBobbyTablesNameIsStoredAsData() async throws {
        try await withConnection { _, connection in
            try await connection.execute("CREATE TABLE student (name text)")
            try await connection.execute("INSERT INTO student (name) VALUES (\(Self.bobby))")
            let stored = try await connection.query("SELECT name FROM student WHERE name = \(Self.bobby)").single()
            #expect(try stored.decode(0, as: String.self) == Self.bobby)
            #expect(try await connection.query("SELECT count(*) FROM student").single().decode(0, as: Int.self) == 1)
        }
    }

    @Test func fragmentsComposeWithRenumberedParameters() async throws {
        let low = 3
        let word = "b'c"
        let conditions: [SQL] = ["n >= \(low)", "label <> \(word)", "n <= \(8)"]
        let filter = SQL.joined(conditions, separator: " AND ")
        let sql: SQL = "SELECT n FROM t WHERE \(filter) AND n <> \(5) ORDER BY n"
        let (text, parameters) = sql.rendered
        #expect(text == "SELECT n FROM t WHERE n >= $1 AND label <> $2 AND n <= $3 AND n <> $4 ORDER BY n")
        #expect(parameters == ["3", "b'c", "8", "5"])

        let head: SQL = "SELECT \(1)::int AS a, "
        let tail: SQL = "\(2)::int AS b"
        #expect((head + tail).rendered.text == "SELECT $1::int AS a, $2::int AS b")
        let nested: SQL = "SELECT * FROM (\(sql)) s WHERE s.n > \(0)"
        #expect(nested.rendered.parameters.count == 5)
        #expect(nested.rendered.text.hasSuffix("s.n > $5"))
        #expect(SQL.joined([], separator: " AND ").rendered.text.isEmpty)

        try await withConnection { _, connection in
            try await connection.execute("CREATE TABLE t (n int, label text)")
            try await connection.execute("INSERT INTO t SELECT g, CASE WHEN g = 4 THEN \(word) ELSE 'x' END FROM generate_series(1, 10) g")
            let found = try await connection.query(sql).map { try $0.decode(0, as: Int.self) }
            #expect(found == [3, 6, 7, 8])
            let pair = try await connection.query(head + tail).single()
            #expect(try pair.decode("a", as: Int.self) == 1)
            #expect(try pair.decode("b", as: Int.self) == 2)
        }
    }

    @Test func manyParametersAreNumberedPastNine() async throws {
        var built: SQL = "SELECT 0"
        for value in 1...25 { built = built + " + \(value)::int" }
        let sum = built
        #expect(sum.rendered.text.hasSuffix("$25::int"))
        #expect(sum.rendered.text.contains("$10::int"))
        try await withConnection { _, connection in
            let total = try await connection.query(sum).single().decode(0, as: Int.self)
            #expect(total == 325)
        }
    }

    @Test func unsafeRawIsPastedAsIs() {
        let column = "registered_on"
        let sql: SQL = "SELECT \(unsafeRaw: column) FROM volunteer WHERE id = \(7)"
        #expect(sql.rendered.text == "SELECT registered_on FROM volunteer WHERE id = $1")
        #expect(sql.rendered.parameters == ["7"])
    }

    /// String literals of `SQL` are `StaticString`s: only text written in the program's source can
    /// become statement text without `unsafeRaw:`, so `SQL(stringLiteral: userInput)` does not compile.
    @Test func literalTextMustBeStatic() {
        #expect(SQL.StringLiteralType.self == StaticString.self)
        #expect(SQL.StringInterpolation.StringLiteralType.self == StaticString.self)
    }

    @Test func dollarSignsInLiteralsAreLeftAlone() async throws {
        try await withConnection { _, connection in
            let row = try await connection.query("SELECT '$1 costs $2'::text, \("real")::text").single()
            #expect(try row.decode(0, as: String.self) == "$1 costs $2")
            #expect(try row.decode(1, as: String.self) == "real")
        }
    }
}
