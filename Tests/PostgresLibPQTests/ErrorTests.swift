import Foundation
import PostgresLibPQ
import Testing
import VLedgerTestSupport

/// Server errors keep their SQLSTATE and fields; what a user sees leaves out server detail.
struct ErrorTests {
    @Test func uniqueViolationCarriesCodeConstraintAndHidesTheKey() async throws {
        try await withConnection { _, connection in
            try await connection.execute("""
                CREATE TABLE person (id int8 GENERATED ALWAYS AS IDENTITY, id_number text CONSTRAINT person_id_number_key UNIQUE)
                """)
            let secret = "110101199003077777"
            try await connection.execute("INSERT INTO person (id_number) VALUES (\(secret))")
            let error = await #expect(throws: PostgresError.self) {
                try await connection.execute("INSERT INTO person (id_number) VALUES (\(secret))")
            }
            let failure = try #require(error)
            #expect(failure.kind == .server)
            #expect(failure.sqlState == .uniqueViolation)
            #expect(failure.sqlState?.errorClass == "23")
            #expect(failure.constraint == "person_id_number_key")
            #expect(failure.table == "person")
            #expect(failure.detail?.contains(secret) == true)
            #expect(!failure.description.contains(secret))
            #expect(failure.description.contains("23505"))
            #expect(failure.description.contains("person_id_number_key"))
            #expect(failure.debugDescription.contains(secret))
            #expect(failure.debugDescription.contains("INSERT INTO person (id_number) VALUES ($1)"))
            #expect(failure.query?.contains(secret) == false)
            // Outside a transaction the failed statement leaves the connection ready.
            #expect(await connection.isUsable)
            #expect(try await connection.query("SELECT count(*) FROM person").single().decode(0, as: Int.self) == 1)
        }
    }

    @Test func aRuleRaisedByATriggerKeepsItsCodeConstraintAndMessage() async throws {
        try await withConnection { _, connection in
            try await connection.executeScript(unsafeSQL: """
                CREATE TABLE entry (minutes int);
                CREATE FUNCTION check_minutes() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.minutes <= 0 THEN
                        RAISE EXCEPTION USING ERRCODE = 'check_violation', CONSTRAINT = 'entry_minutes_positive',
                            MESSAGE = 'vledger: minutes "' || NEW.minutes || '": must be more than 0',
                            HINT = 'record the time actually served';
                    END IF;
                    RETURN NEW;
                END $$;
                CREATE TRIGGER entry_minutes BEFORE INSERT ON entry FOR EACH ROW EXECUTE FUNCTION check_minutes();
                """)
            let error = await #expect(throws: PostgresError.self) {
                try await connection.execute("INSERT INTO entry VALUES (\(-5))")
            }
            #expect(error?.sqlState == .checkViolation)
            #expect(error?.constraint == "entry_minutes_positive")
            #expect(error?.message == "vledger: minutes \"-5\": must be more than 0")
            #expect(error?.hint == "record the time actually served")
            #expect(error?.debugDescription.contains("hint: record the time actually served") == true)
        }
    }

    @Test(arguments: [
        ("SELEC 1", "42601"),
        ("SELECT * FROM no_such_table", "42P01"),
        ("SELECT 1 / 0", "22012"),
        ("SELECT 'abc'::int", "22P02"),
        ("SELECT no_such_column FROM pg_class", "42703"),
    ])
    func serverErrorsKeepTheirSQLState(_ statement: String, _ code: String) async throws {
        try await withConnection { _, connection in
            let error = await #expect(throws: PostgresError.self) {
                try await connection.execute("\(unsafeRaw: statement)")
            }
            #expect(error?.kind == .server)
            #expect(error?.sqlState == SQLState(code))
            #expect(error?.description.contains(code) == true)
            #expect(error?.query == statement)
            let after = try await connection.query("SELECT 1").count
            #expect(after == 1)
        }
    }

    @Test func notNullAndForeignKeyViolationsAreTyped() async throws {
        try await withConnection { _, connection in
            try await connection.executeScript(unsafeSQL: """
                CREATE TABLE district (code text PRIMARY KEY);
                CREATE TABLE volunteer (name text NOT NULL, district text CONSTRAINT volunteer_district_fkey REFERENCES district);
                """)
            let missing: String? = nil
            let notNull = await #expect(throws: PostgresError.self) {
                try await connection.execute("INSERT INTO volunteer VALUES (\(missing), NULL)")
            }
            #expect(notNull?.sqlState == .notNullViolation)
            #expect(notNull?.column == "name")
            let foreign = await #expect(throws: PostgresError.self) {
                try await connection.execute("INSERT INTO volunteer VALUES ('a', \("nowhere"))")
            }
            #expect(foreign?.sqlState == .foreignKeyViolation)
            #expect(foreign?.constraint == "volunteer_district_fkey")
        }
    }

    @Test func unreachableServerIsAConnectionFailure() async throws {
        let error = await #expect(throws: PostgresError.self) {
            _ = try await Connection.connect("postgresql://postgres@127.0.0.1:1/postgres?connect_timeout=5")
        }
        #expect(error?.kind == .connectionFailed)
        #expect(error?.description.hasPrefix("cannot connect to PostgreSQL") == true)
        // libpq writes this one on two lines; errors are shown on one.
        #expect(error?.description.contains("\n") == false, "\(String(describing: error))")
        #expect(error?.description.contains("\t") == false)
    }

    @Test func unknownDatabaseIsAConnectionFailure() async throws {
        let url = try TestServer.connectionString(database: "vledger_no_such_database")
        let error = await #expect(throws: PostgresError.self) {
            _ = try await Connection.connect(url)
        }
        #expect(error?.kind == .connectionFailed)
        #expect(error?.message.contains("vledger_no_such_database") == true)
    }

    @Test func aClosedConnectionRefusesWorkClearly() async throws {
        try await withConnection { _, connection in
            await connection.close()
            #expect(await !connection.isUsable)
            #expect(await connection.backendPID == 0)
            let error = await #expect(throws: PostgresError.self) { try await connection.query("SELECT 1") }
            #expect(error?.kind == .connectionLost)
            #expect(error?.message.contains("closed") == true)
        }
    }

    @Test func serverNoticesDoNotReachStandardError() async throws {
        try await withConnection { _, connection in
            let captured = try await StandardErrorCapture.around {
                try await connection.execute("DO $$ BEGIN RAISE WARNING 'vledger-test-warning'; RAISE NOTICE 'vledger-test-notice'; END $$")
                try await connection.execute("DROP TABLE IF EXISTS vledger_no_such_table")
            }
            #expect(!captured.contains("vledger-test-warning"))
            #expect(!captured.contains("vledger-test-notice"))
            #expect(!captured.contains("vledger_no_such_table"))
        }
    }
}

/// Points file descriptor 2 at a temporary file while `body` runs, then restores it.
enum StandardErrorCapture {
    static func around(_ body: () async throws -> Void) async throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("stderr-\(UUID().uuidString)").path
        let file = open(path, O_RDWR | O_CREAT | O_TRUNC, 0o600)
        guard file >= 0 else { throw POSIXError(.EIO) }
        let saved = dup(2)
        fflush(nil)
        dup2(file, 2)
        do {
            try await body()
        } catch {
            fflush(nil)
            dup2(saved, 2)
            close(saved)
            close(file)
            throw error
        }
        fflush(nil)
        dup2(saved, 2)
        close(saved)
        close(file)
        defer { unlink(path) }
        return (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }
}
