import Foundation
import PostgresLibPQ
import Testing
import VLedgerTestSupport

/// Parameters travel apart from the statement text and come back byte for byte.
struct ConnectionTests {
    @Test func parametersWithNullsAndChineseTextRoundTrip() async throws {
        try await TestDatabase.with(migrated: false) { database in
            let connection = try await database.connect()
            let name = "凤凰城街道 志愿者"
            let missing: String? = nil
            let row = try await connection.query("SELECT \(name)::text, \(missing)::text, length(\(name)::text)").single()
            #expect(try row.decode(0, as: String.self) == name)
            #expect(try row.decode(1, as: String?.self) == nil)
            #expect(try row.decode(2, as: Int.self) == name.count)
            await connection.close()
        }
    }

    static let awkwardStrings: [String] = [
        "张三丰 (志愿者) 凤凰城街道",
        "emoji 🎉👩‍👩‍👧‍👦🇨🇳 and a skin tone 👍🏽",
        "O'Brien said \"hello\"",
        #"C:\path\to\file \\ \n is not a newline"#,
        "tab\tnewline\ncarriage\rreturn",
        "'; DROP TABLE volunteer; --",
        "$1 $2 ? :name",
        "NULL",
        " leading and trailing spaces ",
        "e\u{301} combining accent, \u{200B}zero width space",
        String(repeating: "长", count: 100_000),
    ]

    @Test(arguments: awkwardStrings)
    func textRoundTripsExactly(_ text: String) async throws {
        try await withConnection { _, connection in
            let row = try await connection.query(
                "SELECT \(text)::text AS value, octet_length(\(text)::text) AS bytes, \(text)::text IS NULL AS missing"
            ).single()
            #expect(try row.decode("value", as: String.self) == text)
            #expect(try row.decode("bytes", as: Int.self) == text.utf8.count)
            #expect(try row.decode("missing", as: Bool.self) == false)
        }
    }

    @Test func textSurvivesATableRoundTrip() async throws {
        try await withConnection { _, connection in
            try await connection.execute("CREATE TABLE note (id int PRIMARY KEY, body text)")
            for (index, text) in Self.awkwardStrings.enumerated() {
                try await connection.execute("INSERT INTO note VALUES (\(index), \(text))")
            }
            let rows = try await connection.query("SELECT body FROM note ORDER BY id")
            #expect(try rows.map { try $0.decode(0, as: String.self) } == Self.awkwardStrings)
        }
    }

    @Test func emptyStringIsNotNull() async throws {
        try await withConnection { _, connection in
            let empty = ""
            let none: String? = nil
            let some: String? = ""
            let row = try await connection.query(
                "SELECT \(empty)::text, \(empty)::text IS NULL, \(none)::text, \(none)::text IS NULL, \(some)::text IS NULL"
            ).single()
            #expect(try row.decode(0, as: String?.self) == "")
            #expect(try row.decode(1, as: Bool.self) == false)
            #expect(try row.decode(2, as: String?.self) == nil)
            #expect(row.isNull(2))
            #expect(!row.isNull(0))
            #expect(try row.decode(3, as: Bool.self) == true)
            #expect(try row.decode(4, as: Bool.self) == false)
        }
    }

    @Test func aStringWithANulCharacterIsRefusedBeforeItIsSent() async throws {
        try await withConnection { _, connection in
            try await connection.execute("CREATE TABLE note (body text)")
            let poisoned = "before\u{0}after"
            let error = await #expect(throws: PostgresError.self) {
                try await connection.execute("INSERT INTO note VALUES (\("fine"), \(poisoned))")
            }
            #expect(error?.message.contains("NUL") == true)
            #expect(error?.message.contains("$2") == true)
            #expect(error?.description.contains("after") == false)
            // Nothing was sent, and the connection is still fine.
            #expect(await connection.isUsable)
            #expect(try await connection.query("SELECT count(*) FROM note").single().decode(0, as: Int.self) == 0)
        }
    }

    @Test func integerParametersKeepTheirLimits() async throws {
        try await withConnection { _, connection in
            let row = try await connection.query("""
                SELECT \(Int64.max)::int8, \(Int64.min)::int8, \(Int32.max)::int4, \(Int32.min)::int4,
                       \(Int16.min)::int2, \(Int.max)::int8
                """).single()
            #expect(try row.decode(0, as: Int64.self) == .max)
            #expect(try row.decode(1, as: Int64.self) == .min)
            #expect(try row.decode(2, as: Int32.self) == .max)
            #expect(try row.decode(3, as: Int32.self) == .min)
            #expect(try row.decode(4, as: Int32.self) == Int32(Int16.min))
            #expect(try row.decode(5, as: Int.self) == .max)
        }
    }

    @Test func typedParametersRoundTrip() async throws {
        try await withConnection { _, connection in
            let amount = try #require(Decimal(string: "-12345678901234567890.123456789"))
            let day = try #require(CalendarDate(iso: "2000-02-29"))
            let id = UUID()
            let instant = Date(timeIntervalSince1970: -86_400 * 365.25 * 30 + 0.123456)
            let row = try await connection.query("""
                SELECT \(amount)::numeric, \(day)::date, \(id)::uuid, \(instant)::timestamptz, \(true)::bool, \(false)::bool,
                       \(0.1)::float8, \(amount)::numeric::text
                """).single()
            #expect(try row.decode(0, as: Decimal.self) == amount)
            #expect(try row.decode(1, as: CalendarDate.self) == day)
            #expect(try row.decode(2, as: UUID.self) == id)
            #expect(microseconds(try row.decode(3, as: Date.self)) == microseconds(instant))
            #expect(try row.decode(4, as: Bool.self) == true)
            #expect(try row.decode(5, as: Bool.self) == false)
            #expect(try row.decode(6, as: Double.self) == 0.1)
            #expect(try row.decode(7, as: String.self) == "-12345678901234567890.123456789")
        }
    }

    @Test(arguments: [0.1, -0.0, 1e-300, 1.7976931348623157e308, Double.infinity, -Double.infinity, 123456.789])
    func doubleParametersRoundTrip(_ value: Double) async throws {
        try await withConnection { _, connection in
            let decoded = try await connection.query("SELECT \(value)::float8").single().decode(0, as: Double.self)
            #expect(decoded == value)
            #expect(decoded.sign == value.sign)
        }
    }

    @Test func notANumberRoundTrips() async throws {
        try await withConnection { _, connection in
            let decoded = try await connection.query("SELECT \(Double.nan)::float8").single().decode(0, as: Double.self)
            #expect(decoded.isNaN)
        }
    }

    @Test func int64ArrayParameterWorksWithAny() async throws {
        try await withConnection { _, connection in
            try await connection.execute("CREATE TABLE item (id int8 PRIMARY KEY)")
            try await connection.execute("INSERT INTO item SELECT g FROM generate_series(1, 20) g")
            try await connection.execute("INSERT INTO item VALUES (\(Int64.max)), (\(Int64.min))")
            let ids: [Int64] = [3, 5, 19, 99, .max, .min]
            let found = try await connection.query("SELECT id FROM item WHERE id = ANY(\(ids)) ORDER BY id")
                .map { try $0.decode(0, as: Int64.self) }
            #expect(found == [.min, 3, 5, 19, .max])
            let none = try await connection.query("SELECT id FROM item WHERE id = ANY(\([Int64]()))")
            #expect(none.isEmpty)
        }
    }

    static let awkwardElements: [String] = [
        "plain", "with,comma", "with \"quotes\"", #"back\slash"#, #"trailing\"#, "{braces}", "NULL", "null", "",
        "  spaced  ", "张三", "O'Brien", "tab\there", "new\nline", "🎉", "e\u{301}", "\\\u{301}", "\"\u{301}",
    ]

    @Test func stringArrayParameterKeepsEveryElementIntact() async throws {
        try await withConnection { _, connection in
            let elements = Self.awkwardElements
            let rows = try await connection.query(
                "SELECT value, value IS NULL FROM unnest(\(elements)::text[]) WITH ORDINALITY AS u(value, n) ORDER BY n"
            )
            #expect(try rows.map { try $0.decode(0, as: String.self) } == elements)
            #expect(try rows.allSatisfy { try $0.decode(1, as: Bool.self) == false })
        }
    }

    @Test func stringArrayParameterWorksWithAny() async throws {
        try await withConnection { _, connection in
            try await connection.execute("CREATE TABLE person (id int PRIMARY KEY, name text)")
            for (index, name) in Self.awkwardElements.enumerated() {
                try await connection.execute("INSERT INTO person VALUES (\(index), \(name))")
            }
            try await connection.execute("INSERT INTO person VALUES (1000, \("not asked for"))")
            let wanted = Array(Self.awkwardElements.reversed())
            let found = try await connection.query("SELECT name FROM person WHERE name = ANY(\(wanted)) ORDER BY id")
                .map { try $0.decode(0, as: String.self) }
            #expect(found == Self.awkwardElements)
        }
    }
}
