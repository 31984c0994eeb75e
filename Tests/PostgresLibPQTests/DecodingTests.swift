import Foundation
import PostgresLibPQ
import Testing
import VLedgerTestSupport

/// Every Swift type the layer reads, at its edges, and the errors for what it must not read.
struct DecodingTests {
    @Test func integersAtTheirLimits() async throws {
        try await withConnection { _, connection in
            let row = try await connection.query("""
                SELECT 9223372036854775807::int8, (-9223372036854775808)::int8,
                       2147483647::int4, (-2147483648)::int4, (-32768)::int2, 32767::int2, 4294967295::oid
                """).single()
            #expect(try row.decode(0, as: Int64.self) == .max)
            #expect(try row.decode(1, as: Int64.self) == .min)
            #expect(try row.decode(0, as: Int.self) == .max)
            #expect(try row.decode(1, as: Int.self) == .min)
            #expect(try row.decode(2, as: Int32.self) == .max)
            #expect(try row.decode(3, as: Int32.self) == .min)
            #expect(try row.decode(2, as: Int64.self) == 2_147_483_647)
            #expect(try row.decode(4, as: Int32.self) == -32768)
            #expect(try row.decode(5, as: Int.self) == 32767)
            #expect(try row.decode(6, as: Int64.self) == 4_294_967_295)
        }
    }

    @Test func aBigintIsNotSqueezedIntoInt32() async throws {
        try await withConnection { _, connection in
            let row = try await connection.query("SELECT 5::int8 AS small, 3000000000::int8 AS big").single()
            let error = #expect(throws: PostgresError.self) { try row.decode("big", as: Int32.self) }
            #expect(error?.kind == .decoding)
            #expect(error?.message.contains("\"big\"") == true)
            // The column type decides, not the value: a small int8 is refused as Int32 too.
            #expect(throws: PostgresError.self) { try row.decode("small", as: Int32.self) }
        }
    }

    @Test func booleans() async throws {
        try await withConnection { _, connection in
            let row = try await connection.query("SELECT true, false, NULL::bool").single()
            #expect(try row.decode(0, as: Bool.self) == true)
            #expect(try row.decode(1, as: Bool.self) == false)
            #expect(try row.decode(2, as: Bool?.self) == nil)
        }
    }

    @Test func stringsReadAnyColumnAsItsText() async throws {
        try await withConnection { _, connection in
            let row = try await connection.query(
                "SELECT 'x'::varchar(3), 'ab'::char(4), 42, '2024-01-02'::date, '{\"a\": 1}'::jsonb, 'name'::name"
            ).single()
            #expect(try row.decode(0, as: String.self) == "x")
            #expect(try row.decode(1, as: String.self) == "ab  ")
            #expect(try row.decode(2, as: String.self) == "42")
            #expect(try row.decode(3, as: String.self) == "2024-01-02")
            #expect(try row.decode(4, as: String.self) == "{\"a\": 1}")
            #expect(try row.decode(5, as: String.self) == "name")
        }
    }

    @Test func doubles() async throws {
        try await withConnection { _, connection in
            let row = try await connection.query("""
                SELECT 0.1::float8, 1.5::float4, 'Infinity'::float8, '-Infinity'::float8, 'NaN'::float8,
                       1e-300::float8, 0.1::float4
                """).single()
            #expect(try row.decode(0, as: Double.self) == 0.1)
            #expect(try row.decode(1, as: Double.self) == 1.5)
            #expect(try row.decode(2, as: Double.self) == .infinity)
            #expect(try row.decode(3, as: Double.self) == -.infinity)
            #expect(try row.decode(4, as: Double.self).isNaN)
            #expect(try row.decode(5, as: Double.self) == 1e-300)
            // float4 is printed with the digits that identify the float, read back into a Double.
            #expect(try row.decode(6, as: Double.self) == 0.1)
        }
    }

    static let exactNumerics = [
        "0.1305", "12345678901234567890.123456789", "-12345678901234567890.123456789", "-0.0001", "42", "-7",
        "0", "1.10", "99999999999999999999999999999999999999", "0.000000000000000000000000000001",
        "100000000000000000000000000000000000000000000000000", "-3.14159265358979323846264338327950288",
    ]

    /// Compared with `Decimal(string:)`, never through a Double; also checked against the
    /// server's own arithmetic, so a rounding on the way in or out cannot hide.
    @Test(arguments: exactNumerics)
    func numericIsReadExactly(_ text: String) async throws {
        try await withConnection { _, connection in
            let row = try await connection.query(
                "SELECT \(unsafeRaw: "'" + text + "'")::numeric AS value, \(unsafeRaw: "'" + text + "'")::numeric * 1000 AS scaled"
            ).single()
            let expected = try #require(Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")))
            #expect(try row.decode("value", as: Decimal.self) == expected)
            #expect(try row.decode("scaled", as: Decimal.self) == expected * 1000)
            // Sent back as a parameter, the server sees the same number.
            let value = try row.decode("value", as: Decimal.self)
            let same = try await connection.query(
                "SELECT \(value)::numeric = \(unsafeRaw: "'" + text + "'")::numeric"
            ).single().decode(0, as: Bool.self)
            #expect(same)
        }
    }

    @Test func numericArithmeticIsNotBinaryFloatingPoint() async throws {
        try await withConnection { _, connection in
            let row = try await connection.query("SELECT 0.1::numeric + 0.2::numeric, sum(x) FROM (VALUES (0.1305::numeric), (0.8695)) v(x)").single()
            #expect(try row.decode(0, as: Decimal.self) == Decimal(string: "0.3"))
            #expect(try row.decode(1, as: Decimal.self) == Decimal(1))
            #expect(try row.decode(0, as: Decimal.self).description == "0.3")
        }
    }

    @Test func integerColumnsReadAsDecimal() async throws {
        try await withConnection { _, connection in
            let row = try await connection.query("SELECT 9223372036854775807::int8, (-5)::int4, count(*) FROM generate_series(1, 3)").single()
            #expect(try row.decode(0, as: Decimal.self) == Decimal(string: "9223372036854775807"))
            #expect(try row.decode(1, as: Decimal.self) == Decimal(-5))
            #expect(try row.decode(2, as: Decimal.self) == Decimal(3))
        }
    }

    /// Decimal keeps 38 significant digits; a numeric with more must be refused, not rounded.
    @Test func numericBeyondDecimalPrecisionIsRefusedNotRounded() async throws {
        try await withConnection { _, connection in
            let row = try await connection.query(
                "SELECT 123456789012345678901234567890123456789012.5::numeric AS big, 'NaN'::numeric AS nan, 'Infinity'::numeric AS inf"
            ).single()
            let big = #expect(throws: PostgresError.self) { try row.decode("big", as: Decimal.self) }
            #expect(big?.kind == .decoding)
            #expect(big?.message.contains("\"big\"") == true)
            #expect(throws: PostgresError.self) { try row.decode("nan", as: Decimal.self) }
            #expect(throws: PostgresError.self) { try row.decode("inf", as: Decimal.self) }
        }
    }

    @Test func numericIsNotReadAsDouble() async throws {
        try await withConnection { _, connection in
            let row = try await connection.query("SELECT 0.1305::numeric AS rate").single()
            let error = #expect(throws: PostgresError.self) { try row.decode("rate", as: Double.self) }
            #expect(error?.kind == .decoding)
        }
    }

    @Test(arguments: ["2000-02-29", "0001-01-01", "9999-12-31", "1900-03-01", "1970-01-01", "2024-12-31"])
    func calendarDates(_ text: String) async throws {
        try await withConnection { _, connection in
            let expected = try #require(CalendarDate(iso: text))
            let row = try await connection.query(
                "SELECT \(unsafeRaw: "'" + text + "'")::date, \(expected)::date - DATE '1970-01-01'"
            ).single()
            #expect(try row.decode(0, as: CalendarDate.self) == expected)
            // The layer's day count agrees with the server's.
            #expect(try row.decode(1, as: Int.self) == expected.daysSinceEpoch)
            #expect(expected.description == text)
        }
    }

    @Test func calendarDatesTheTypeCannotHoldAreRefusedClearly() async throws {
        try await withConnection { _, connection in
            let row = try await connection.query(
                "SELECT '0044-03-15 BC'::date AS ides, 'infinity'::date AS forever, '10000-01-01'::date AS far"
            ).single()
            let bc = #expect(throws: PostgresError.self) { try row.decode("ides", as: CalendarDate.self) }
            #expect(bc?.kind == .decoding)
            #expect(bc?.message.contains("\"ides\"") == true)
            #expect(bc?.message.contains("BC") == true)
            #expect(throws: PostgresError.self) { try row.decode("forever", as: CalendarDate.self) }
            #expect(throws: PostgresError.self) { try row.decode("far", as: CalendarDate.self) }
        }
    }

    @Test func calendarDateValidation() {
        #expect(CalendarDate(iso: "2019-02-29") == nil)
        #expect(CalendarDate(iso: "1900-02-29") == nil)
        #expect(CalendarDate(iso: "2000-02-29") != nil)
        #expect(CalendarDate(iso: "2024-13-01") == nil)
        #expect(CalendarDate(iso: "2024-1-01") == nil)
        #expect(CalendarDate(iso: "0000-01-01") == nil)
        #expect(CalendarDate(iso: "２０２４-01-01") == nil)
        let leap = CalendarDate(iso: "2000-02-29")!
        #expect(leap.adding(days: 1) == CalendarDate(iso: "2000-03-01"))
        #expect(leap.adding(years: 1) == CalendarDate(iso: "2001-02-28"))
        #expect(leap.wholeYears(until: CalendarDate(iso: "2014-02-28")!) == 13)
        #expect(leap.wholeYears(until: CalendarDate(iso: "2014-03-01")!) == 14)
        #expect(CalendarDate(daysSinceEpoch: 0) == CalendarDate(iso: "1970-01-01"))
        #expect(CalendarDate(daysSinceEpoch: -1) == CalendarDate(iso: "1969-12-31"))
    }

    @Test func calendarArithmeticPastTheEndsOfTheRangeDoesNotTrap() async throws {
        let last = try #require(CalendarDate(iso: "9999-06-01"))
        let first = try #require(CalendarDate(iso: "0001-01-01"))
        #expect(last.adding(years: 1).description == "10000-06-01")
        #expect(first.adding(days: -1).description == "0001-12-31 BC")
        #expect(first.adding(years: -44).description == "0044-01-01 BC")
        try await withConnection { _, connection in
            let row = try await connection.query("""
                SELECT \(last.adding(years: 1))::date = '10000-06-01'::date,
                       \(first.adding(days: -1))::date = '0001-12-31 BC'::date,
                       \(first.adding(years: -44))::date = '0044-01-01 BC'::date
                """).single()
            #expect(try row.decode(0, as: Bool.self))
            #expect(try row.decode(1, as: Bool.self))
            #expect(try row.decode(2, as: Bool.self))
        }
    }

    /// Dates at and past the ends of what PostgreSQL stores: no trap while encoding, and the
    /// server's answer (a value or a clear refusal) rather than a wrong instant.
    @Test func extremeDateParametersAreEncodedWithoutTrapping() async throws {
        try await withConnection { _, connection in
            let lastSecond = Date(timeIntervalSince1970: 9_224_318_015_999)  // 294276-12-31 23:59:59 UTC
            let row = try await connection.query("""
                SELECT \(lastSecond)::timestamptz = '294276-12-31 23:59:59+00'::timestamptz,
                       \(Date(timeIntervalSince1970: .infinity))::timestamptz = 'infinity'::timestamptz,
                       \(Date(timeIntervalSince1970: -.infinity))::timestamptz = '-infinity'::timestamptz,
                       \(Date(timeIntervalSince1970: -63_517_780_800))::timestamptz = '0044-03-15 12:00:00+00 BC'::timestamptz
                """).single()
            #expect(try row.decode(0, as: Bool.self))
            #expect(try row.decode(1, as: Bool.self))
            #expect(try row.decode(2, as: Bool.self))
            #expect(try row.decode(3, as: Bool.self))
            for unstorable in [Date(timeIntervalSince1970: .nan), Date(timeIntervalSince1970: 1e300), Date(timeIntervalSince1970: 1e13)] {
                let error = await #expect(throws: PostgresError.self) {
                    try await connection.query("SELECT \(unstorable)::timestamptz")
                }
                #expect(error?.kind == .server)
            }
        }
    }

    /// The same instant, written with different offsets, read in sessions with different time
    /// zones: always the same `Date`, to the microsecond.
    static let instants: [(text: String, epochMicros: Int64)] = [
        ("2024-03-10 01:30:00.123456+05:30", 1_710_014_400_123_456),
        ("2024-03-10 01:30:00.123456+05:45", 1_710_013_500_123_456),
        ("2024-03-09 20:00:00.123456+00", 1_710_014_400_123_456),
        ("2024-07-01 12:00:00-04", 1_719_849_600_000_000),
        ("1969-12-31 23:59:59.999999+00", -1),
        ("1969-07-20 20:17:40+00", -14_182_940_000_000),
        ("1900-01-01 00:00:00+00", -2_208_988_800_000_000),
        ("1850-06-15 12:00:00.5+00", -3_772_526_399_500_000),
        ("2038-01-19 03:14:08.000001+00", 2_147_483_648_000_001),
        // In a zone east of UTC this prints as year 10000; in a zone west of it, 0001-01-01 prints as 1 BC.
        ("9999-12-31 23:59:59+00", 253_402_300_799_000_000),
        ("0001-01-01 00:00:00+00", -62_135_596_800_000_000),
        ("0044-03-15 12:00:00+00 BC", -63_517_780_800_000_000),
    ]

    static let sessionZones = [
        "UTC", "Asia/Shanghai", "America/New_York", "Asia/Kolkata", "Asia/Kathmandu", "America/St_Johns",
        "Pacific/Chatham", "Europe/Amsterdam",
    ]

    @Test(arguments: sessionZones)
    func timestamptzDecodesToTheSameInstantInAnySessionTimeZone(_ zone: String) async throws {
        try await withConnection { _, connection in
            try await connection.execute("SELECT set_config('TimeZone', \(zone), false)")
            for (text, epochMicros) in Self.instants {
                let row = try await connection.query(
                    "SELECT \(text)::timestamptz, \(text)::timestamptz::text"
                ).single()
                let decoded = try row.decode(0, as: Date.self)
                let printed = try row.decode(1, as: String.self)
                #expect(microseconds(decoded) == epochMicros, "\(text) in \(zone) printed as \(printed)")
            }
        }
    }

    @Test func aStoredInstantReadsIdenticallyInShanghaiAndNewYork() async throws {
        try await withConnection { _, connection in
            try await connection.execute("CREATE TABLE event (at timestamptz)")
            try await connection.execute("INSERT INTO event VALUES (clock_timestamp()), ('1950-05-01 08:00:00.000123+08')")
            var seen: [[Int64]] = []
            for zone in ["Asia/Shanghai", "America/New_York", "UTC"] {
                try await connection.execute("SELECT set_config('TimeZone', \(zone), false)")
                let printed = try await connection.query("SELECT at::text FROM event").map { try $0.decode(0, as: String.self) }
                seen.append(try await connection.query("SELECT at FROM event").map { microseconds(try $0.decode(0, as: Date.self)) })
                #expect(printed.count == 2)
            }
            #expect(seen[0] == seen[1])
            #expect(seen[1] == seen[2])
            let utcText = try await connection.query("SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') FROM event")
                .map { try $0.decode(0, as: String.self) }
            #expect(utcText[1] == "1950-05-01 00:00:00.000123")
        }
    }

    @Test func historicOffsetsWithSecondsAreRead() async throws {
        try await withConnection { _, connection in
            // Before standard time these zones used local mean time: +08:05:43 and -04:56:02.
            for (zone, printedOffset) in [("Asia/Shanghai", "+08:05:43"), ("America/New_York", "-04:56:02")] {
                try await connection.execute("SELECT set_config('TimeZone', \(zone), false)")
                let row = try await connection.query("SELECT '1880-01-01 00:00:00+00'::timestamptz, '1880-01-01 00:00:00+00'::timestamptz::text").single()
                let printed = try row.decode(1, as: String.self)
                #expect(printed.hasSuffix(printedOffset), "\(printed)")
                #expect(microseconds(try row.decode(0, as: Date.self)) == -2_840_140_800_000_000)
            }
        }
    }

    @Test(arguments: [0.0, 0.000001, -0.000001, 1_700_000_000.999999, -1_000_000_000.5, 1_234_567.000123])
    func dateParametersRoundTripToTheMicrosecond(_ seconds: Double) async throws {
        try await withConnection { _, connection in
            let instant = Date(timeIntervalSince1970: seconds)
            for zone in ["Asia/Shanghai", "America/New_York"] {
                try await connection.execute("SELECT set_config('TimeZone', \(zone), false)")
                let row = try await connection.query(
                    "SELECT \(instant)::timestamptz, extract(epoch FROM \(instant)::timestamptz)::numeric * 1000000"
                ).single()
                #expect(microseconds(try row.decode(0, as: Date.self)) == microseconds(instant))
                #expect(try row.decode(1, as: Decimal.self) == Decimal(microseconds(instant)))
            }
        }
    }

    @Test func timestampWithoutTimeZoneIsRefusedAsDate() async throws {
        try await withConnection { _, connection in
            let row = try await connection.query("SELECT '2024-01-01 08:00:00'::timestamp AS local_time").single()
            let error = #expect(throws: PostgresError.self) { try row.decode("local_time", as: Date.self) }
            #expect(error?.kind == .decoding)
            #expect(error?.message.contains("\"local_time\"") == true)
            #expect(error?.message.contains("timestamp") == true)
            #expect(try row.decode("local_time", as: String.self) == "2024-01-01 08:00:00")
        }
    }

    @Test func infiniteTimestampsAreRefused() async throws {
        try await withConnection { _, connection in
            let row = try await connection.query(
                "SELECT 'infinity'::timestamptz AS forever, '-infinity'::timestamptz AS never"
            ).single()
            let error = #expect(throws: PostgresError.self) { try row.decode("forever", as: Date.self) }
            #expect(error?.message.contains("infinit") == true)
            #expect(throws: PostgresError.self) { try row.decode("never", as: Date.self) }
        }
    }

    @Test func uuids() async throws {
        try await withConnection { _, connection in
            let row = try await connection.query(
                "SELECT gen_random_uuid(), 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'::uuid, NULL::uuid"
            ).single()
            _ = try row.decode(0, as: UUID.self)
            #expect(try row.decode(1, as: UUID.self) == UUID(uuidString: "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"))
            #expect(try row.decode(2, as: UUID?.self) == nil)
        }
    }

    // MARK: - Mismatches

    @Test func textColumnDecodedAsIntIsAClearError() async throws {
        try await withConnection { _, connection in
            let row = try await connection.query("SELECT '42'::text AS answer").single()
            let error = #expect(throws: PostgresError.self) { try row.decode("answer", as: Int.self) }
            #expect(error?.kind == .decoding)
            #expect(error?.message.contains("\"answer\"") == true)
            #expect(error?.message.contains("Int") == true)
            #expect(error?.message.contains("text") == true)
        }
    }

    @Test func nullDecodedAsNonOptionalIsAClearError() async throws {
        try await withConnection { _, connection in
            let row = try await connection.query("SELECT NULL::int8 AS nothing, NULL::text AS blank").single()
            let error = #expect(throws: PostgresError.self) { try row.decode("nothing", as: Int64.self) }
            #expect(error?.kind == .decoding)
            #expect(error?.message.contains("\"nothing\"") == true)
            #expect(error?.message.contains("NULL") == true)
            #expect(throws: PostgresError.self) { try row.decode(1, as: String.self) }
            #expect(try row.decode("nothing", as: Int64?.self) == nil)
            #expect(try row.decode(1, as: String?.self) == nil)
        }
    }

    @Test func missingColumnsAreClearErrors() async throws {
        try await withConnection { _, connection in
            let row = try await connection.query("SELECT 1 AS one, 2 AS two").single()
            let byName = #expect(throws: PostgresError.self) { try row.decode("three", as: Int.self) }
            #expect(byName?.kind == .decoding)
            #expect(byName?.message.contains("\"three\"") == true)
            let byIndex = #expect(throws: PostgresError.self) { try row.decode(2, as: Int.self) }
            #expect(byIndex?.message.contains("2") == true)
            #expect(throws: PostgresError.self) { try row.decode(-1, as: Int?.self) }
            #expect(throws: PostgresError.self) { try row.decode("ONE", as: Int.self) }
        }
    }

    @Test func singleInsistsOnExactlyOneRow() async throws {
        try await withConnection { _, connection in
            let none = await #expect(throws: PostgresError.self) {
                try await connection.query("SELECT 1 WHERE false").single()
            }
            #expect(none?.message.contains("0") == true)
            let many = await #expect(throws: PostgresError.self) {
                try await connection.query("SELECT generate_series(1, 2)").single()
            }
            #expect(many?.message.contains("2") == true)
        }
    }

    @Test func rowsIterateInOrderWithColumnInfo() async throws {
        try await withConnection { _, connection in
            let result = try await connection.query("SELECT g AS n, g::text AS label FROM generate_series(1, 1000) g")
            #expect(result.count == 1000)
            #expect(result.columns.map(\.name) == ["n", "label"])
            #expect(result.columns[0].typeOID == PostgresType.int4)
            #expect(try result.map { try $0.decode("n", as: Int.self) } == Array(1...1000))
            #expect(result.affectedRows == 1000)
        }
    }
}
