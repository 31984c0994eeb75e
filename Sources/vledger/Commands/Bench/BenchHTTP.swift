import ArgumentParser
import Foundation
import PostgresLibPQ
import VLedgerCore
import VLedgerHTTP

/// `POST /api/v1/hours` through a real `vledger serve` process under wrk (Debian's), every tenth
/// request a retry of an earlier one with the same Idempotency-Key; then, in the same run,
/// pgbench sending the same insert transaction (`SET LOCAL ROLE person`, one INSERT) straight to
/// PostgreSQL. Rows are counted in SQL afterwards: nothing lost, nothing doubled.
struct BenchHTTP: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "http",
        abstract: tr("help.bench_http.abstract")
    )

    @OptionGroup var database: DatabaseOptions
    @Option(help: ArgumentHelp(tr("help.bench_http.seconds"))) var seconds = 60
    @Option(help: ArgumentHelp(tr("help.bench_http.connections"))) var connections = 32
    @Option(help: ArgumentHelp(tr("help.bench_http.volunteers"))) var volunteers = 5000
    @Option(help: ArgumentHelp(tr("help.bench_http.pool"))) var pool = 8

    func validate() throws {
        guard seconds > 0, connections > 0, volunteers > 0, pool > 0 else { throw ValidationError(tr("ui.bench_http.positive")) }
    }

    struct Setup {
        let person: String
        let token: String
        let activity: Int64
        let pgbenchActivity: Int64
        let firstVolunteerID: Int64
        let activityStart: Date
    }

    func run() async throws {
        let wrk = try BenchTools.find("wrk", hint: "apt-get install wrk")
        let pgbench = try BenchTools.find("pgbench", hint: "apt-get install postgresql-contrib")
        let settings = (seconds: seconds, connections: connections, volunteers: volunteers, pool: pool)
        let person = "bench_http_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(10)
        let admin = try await database.locator.connect(migrate: false, progress: { StandardError.write($0) })
        defer { Task { [admin] in await admin.close() } }
        let outcome: Result<(WrkRun.Figures, PgbenchRun.Figures, Int64), any Error>
        do {
            outcome = .success(try await BenchDatabase.using(locator: database.locator, label: "http") { scratch in
                let setup = try await Self.prepare(scratch, person: person, volunteers: settings.volunteers)
                StandardError.write(tr("ui.bench_http.serving"))
                let server = try await ServeUnderBench.start(scratch.connectionString, pool: settings.pool)
                defer { server.stop() }
                let numbers: [String] = try await scratch.connect().query("SELECT number FROM volunteer ORDER BY id").map { try $0.decode(0) }
                StandardError.write(tr("ui.bench_http.wrk", ["seconds": String(settings.seconds), "connections": String(settings.connections)]))
                let http = try WrkRun.run(wrk, port: server.port, token: setup.token, activity: setup.activity, numbers: numbers,
                                          activityStart: setup.activityStart, seconds: settings.seconds, connections: settings.connections)
                server.stop()
                StandardError.write(tr("ui.bench_http.pgbench"))
                let direct = try PgbenchRun.run(pgbench, connectionString: scratch.connectionString, person: person, setup: setup,
                                                volunteers: settings.volunteers, transactions: http.created, connections: settings.pool)
                let check = try await scratch.connect().query("""
                    SELECT count(*) FILTER (WHERE activity_id = \(setup.activity))::bigint,
                           count(DISTINCT request_id) FILTER (WHERE activity_id = \(setup.activity))::bigint,
                           count(*) FILTER (WHERE activity_id = \(setup.pgbenchActivity))::bigint
                    FROM hours_entry
                    """).single()
                let (httpRows, httpKeys, pgbenchRows): (Int64, Int64, Int64) = (try check.decode(0), try check.decode(1), try check.decode(2))
                // wrk stops reading when its time is up: requests still in flight (one per
                // connection at most) are written by the server without their 201 being counted.
                let inFlight = httpRows - http.created
                guard httpKeys == httpRows, inFlight >= 0, inFlight <= Int64(settings.connections),
                      pgbenchRows == direct.transactions else {
                    throw VLedgerError.conflict(
                        "rows in SQL disagree with the answers: \(httpRows) HTTP rows (\(httpKeys) keys) for \(http.created) × 201; \(pgbenchRows) pgbench rows for \(direct.transactions) transactions")
                }
                return (http, direct, httpRows)
            })
        } catch {
            outcome = .failure(error)
        }
        _ = try? await admin.execute("DROP ROLE IF EXISTS \(unsafeRaw: person)")
        let (http, direct, rows) = try outcome.get()
        let rate = Double(http.requests) / http.seconds
        print("POST /api/v1/hours through vledger serve (wrk, \(connections) connections, \(seconds) s, pool \(pool)):")
        print(String(format: "  %.0f requests/s   p50 %.2f ms   p90 %.2f ms   p99 %.2f ms   max %.2f ms",
                     rate, http.p50, http.p90, http.p99, http.max))
        print("  \(http.created) × 201 new, \(http.replayed) × 200 retries with a used key, \(http.other) other answers, \(http.socketErrors) socket errors")
        print("  rows checked in SQL: \(rows) entries, one per key (\(rows - http.created) answered after wrk stopped reading); retries added nothing")
        print("pgbench, the same insert transaction straight to PostgreSQL (\(pool) clients, as many inserts as the HTTP run made):")
        print(String(format: "  %.0f transactions/s   average latency %.2f ms   (%lld rows, checked in SQL)",
                     direct.rate, direct.averageMilliseconds, direct.transactions))
        print(String(format: "ratio vledger serve / pgbench: %.2f", rate / direct.rate))
        guard http.other == 0, http.socketErrors == 0 else {
            throw VLedgerError.conflict("\(http.other) answers were neither 201 nor 200 and \(http.socketErrors) socket errors: see the server's log")
        }
    }

    /// Volunteers by COPY; the person, a session token opened as them, and two long activities in
    /// the past (one for the HTTP run, one for pgbench), created as the person.
    static func prepare(_ scratch: BenchDatabase, person: String, volunteers: Int) async throws -> Setup {
        let db = try await scratch.connect()
        defer { Task { [db] in await db.close() } }
        let token = SessionTokens.make()
        return try await db.withIsolated { db in
            try db.execute("INSERT INTO district (code, name) VALUES (\(LedgerBenchData.district), '凤凰城街道')")
            try db.copyIn("COPY volunteer (name, id_number, phone, registered_on) FROM STDIN") { writer in
                for n in 0..<volunteers { try writer.write(["志愿者\(n)", LedgerBenchData.idNumber(n), "13800000000", "2000-01-01"]) }
            }
            try UserAccounts.add(login: person, role: .organiser, districtCode: nil, password: nil, on: db)
            let firstID: Int64 = try db.query("SELECT min(id) FROM volunteer").single().decode(0)
            let start = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 / 86_400).rounded(.down) * 86_400 - 60 * 86_400)
            let (activity, other): (Int64, Int64) = try db.transaction { tx in
                try tx.execute("SELECT set_config('role', \(person), true)")
                _ = try tx.query("SELECT vl_session_open(decode(\(SessionTokens.hashHex(token)), 'hex'), interval '4 hours', '127.0.0.1')")
                let ids: [Int64] = try (0..<2).map { n in
                    try tx.query("""
                        INSERT INTO activity (title, district_code, organiser, starts_at, ends_at)
                        VALUES (\("压测活动\(n)"), \(LedgerBenchData.district), '组织者', \(start), \(start.addingTimeInterval(50 * 86_400)))
                        RETURNING id
                        """).single().decode(0)
                }
                return (ids[0], ids[1])
            }
            try db.execute("CREATE SEQUENCE bench_http_n")
            return Setup(person: person, token: token, activity: activity, pgbenchActivity: other,
                         firstVolunteerID: firstID, activityStart: start)
        }
    }
}
