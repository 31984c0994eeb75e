import ArgumentParser
import Foundation
import PostgresLibPQ
import VLedgerCore
import VLedgerHTTP

/// `vledger bench dashboard` (issue 14): the office's dashboard page through a real `vledger
/// serve` process, timed at the client (curl over loopback) and in the server (/metrics), against
/// the plain-PostgreSQL way of getting its figures (the hand-written SQL of the year and its
/// month-ends through psql), after proving that the figures are the same.
struct BenchDashboard: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: tr("help.bench_dashboard.abstract"),
        discussion: tr("help.bench_dashboard.discussion")
    )

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var city: BenchCityOptions
    @Option(help: ArgumentHelp(tr("help.bench_dashboard.requests"))) var requests = 20

    func validate() throws {
        guard (1...1000).contains(requests) else { throw ValidationError(tr("error.usage_bench_runs", ["min": "1", "max": "1000"])) }
    }

    func run() async throws {
        let curl = try BenchTools.find("curl", hint: "apt-get install curl")
        let psql = try BenchProcess.psql()
        try await city.with(locator: database.locator, label: "dashboard") { year, url, connection in
            try await measure(year: year, url: url, curl: curl, psql: psql, on: connection)
        }
    }

    func measure(year: Int, url: String, curl: URL, psql: URL, on connection: Connection) async throws {
        let request = try MetricsRequest(year: year)
        let (months, service) = try await Self.checkFigures(request, runs: city.runs, on: connection)

        let login = "bench_dash_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(10)
        let token = try await Self.officeSession(login: login, on: connection)
        StandardError.write(tr("ui.bench_dashboard.serving", ["login": login]) + "\n")
        let outcome: Result<PageTimes, any Error>
        do {
            outcome = .success(try await Self.timePage(url: url, year: year, token: token, requests: requests, curl: curl,
                                                       hours: months.last?.cityRow?.hoursPerVolunteer))
        } catch {
            outcome = .failure(error)
        }
        _ = try? await connection.execute("DROP ROLE IF EXISTS \(unsafeRaw: login)")
        let page = try outcome.get()
        let (client, bytes, inServer) = (page.client, page.bytes, page.server)

        // The plain-PostgreSQL way: the year and its month-ends, one psql process.
        let statements = [MetricsHandSQL.csvQuery(year: year, fromLedger: false)]
            + (1...months.count).map { MetricsHandSQL.csvQuery(year: year, month: $0, fromLedger: false) }
        let script = "SET jit = off; SET work_mem = '64MB'; " + statements.joined(separator: ";\n")
        try BenchProcess.timed(psql, ["-X", "-q", "-A", "-t", "-c", script, url])
        let viaPsql = BenchStatistics.median(try (0..<city.runs).map { _ in try BenchProcess.timed(psql, ["-X", "-q", "-A", "-t", "-c", script, url]) })

        func ms(_ seconds: Double) -> String { String(format: "%.1f", seconds * 1000) }
        let median = BenchStatistics.median(client)
        print(tr("ui.bench_dashboard.page", ["year": String(year), "requests": String(requests), "bytes": String(bytes)]))
        print("  " + tr("ui.bench_dashboard.client", ["median": ms(median), "p95": ms(BenchStatistics.p95(client))]))
        if let inServer {
            print("  " + tr("ui.bench_dashboard.server", ["mean": ms(inServer.mean), "p50": ms(inServer.bound(0.5)), "p95": ms(inServer.bound(0.95))]))
        }
        print("  " + tr("ui.bench_dashboard.service", ["fast": ms(service.fast), "slow": ms(service.slow)]))
        print("  " + tr("ui.bench_dashboard.psql", ["ms": ms(viaPsql), "months": String(months.count), "statements": String(statements.count)]))
        print(tr("ui.bench_dashboard.ratio", ["ratio": String(format: "%.2f", median / viaPsql)]))
        let atServer = inServer?.mean ?? median
        print(tr("ui.bench_dashboard.budget", ["verdict": tr(atServer <= 0.3 ? "ui.bench_dashboard.met" : "ui.bench_dashboard.missed")]))
    }

    struct PageTimes {
        var client: [Double]
        var bytes: Int
        var server: (mean: Double, bound: (Double) -> Double)?
    }

    /// `vledger serve` on the city; GET /dashboard once to warm up (and to check that it shows the
    /// city's hours per volunteer of the report), then `requests` times, one after the other.
    static func timePage(url: String, year: Int, token: String, requests: Int, curl: URL, hours: String?) async throws -> PageTimes {
        let server = try await ServeUnderBench.start(url, pool: 4)
        defer { server.stop() }
        let base = "http://127.0.0.1:\(server.port)"
        let page = "\(base)/dashboard?year=\(year)"
        let cookie = ["-H", "Cookie: vledger_session=\(token)"]
        let body = try BenchProcess.output(curl, ["-s"] + cookie + ["-w", "\n%{http_code}", page])
        let status = body.split(separator: "\n").last.map(String.init) ?? ""
        guard status == "200", let hours, body.contains(">\(hours) "), body.contains("data-key=\"hours_per_volunteer\"") else {
            throw VLedgerError.conflict(tr("error.bench_dashboard_status", ["status": status]))
        }
        let before = try ServerHistogram(BenchProcess.output(curl, ["-s", "\(base)/metrics"]))
        // One curl process, one kept-alive connection, the requests one after the other.
        let format = "%{http_code} %{time_total} %{size_download}\n"
        let lines = try BenchProcess.output(curl, ["-s"] + cookie + ["-w", format]
            + Array(repeating: ["-o", "/dev/null", page], count: requests).flatMap { $0 })
            .split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        let after = try ServerHistogram(BenchProcess.output(curl, ["-s", "\(base)/metrics"]))
        guard lines.count == requests, lines.allSatisfy({ $0.count == 3 && $0[0] == "200" }) else {
            throw VLedgerError.conflict(tr("error.bench_dashboard_status", ["status": lines.map { $0.first ?? "?" }.joined(separator: ",")]))
        }
        return PageTimes(client: lines.compactMap { Double($0[1]) }, bytes: lines.first.flatMap { Int($0[2]) } ?? 0, server: after.since(before))
    }

    /// The month-ends of the fast path equal one compute per month-end (the way before), and the
    /// hand-written SQL prints their figures; returns them with the service's times (fast: the
    /// dashboard's year and month-ends, the median of `runs`; slow: the year and each month-end
    /// computed on its own, once).
    static func checkFigures(_ request: MetricsRequest, runs: Int, on connection: Connection) async throws
        -> (months: [MetricsReport], service: (fast: Double, slow: Double))
    {
        func timed<T>(_ body: () async throws -> T) async throws -> (T, Double) {
            let start = DispatchTime.now().uptimeNanoseconds
            let value = try await body()
            return (value, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        let session = LedgerSession(connection)
        _ = try await MetricsService.runYearAndMonths(request, in: session)
        var fastTimes: [Double] = []
        var months: [MetricsReport] = []
        for _ in 0..<runs {
            let (figures, seconds) = try await timed { try await MetricsService.runYearAndMonths(request, in: session) }
            months = figures.months
            fastTimes.append(seconds)
        }
        let (slowMonths, slow) = try await timed {
            _ = try await MetricsService.run(request, in: session)
            var reports: [MetricsReport] = []
            for end in MetricsService.monthEnds(of: request) {
                reports.append(try await MetricsService.run(try MetricsRequest(year: request.year, asOf: end.description), in: session))
            }
            return reports
        }
        let fastJSON = MetricsReport.json(months: months).rendered(), slowJSON = MetricsReport.json(months: slowMonths).rendered()
        guard fastJSON == slowJSON else {
            throw VLedgerError.conflict(tr("error.bench_dashboard_differs", [
                "what": "the month-ends from the kept rows (0262) and one compute per month-end",
                "detail": zip(fastJSON.split(separator: "\n"), slowJSON.split(separator: "\n")).filter { $0 != $1 }.prefix(3)
                    .map { "fast: \($0)\nslow: \($1)" }.joined(separator: "\n")]))
        }
        var rows = 0
        for (index, report) in months.enumerated() {
            let expected = report.csvRows.map(CSVWriter.line)
            let got = try await connection.withIsolated { db in
                try db.execute("SET jit = off")
                return try db.query("\(unsafeRaw: MetricsHandSQL.csvQuery(year: request.year, month: index + 1, fromLedger: false))").map { row in
                    CSVWriter.line((0..<17).map { row.text($0) ?? "" })
                }
            }
            guard got == expected else {
                throw VLedgerError.conflict(tr("error.bench_dashboard_differs", [
                    "what": "hand-written SQL as of \(report.request.asOf) and vledger metrics --by month",
                    "detail": zip(got, expected).filter { $0 != $1 }.prefix(3).map { "sql:     \($0)\nvledger: \($1)" }.joined(separator: "\n")]))
            }
            rows += got.count
        }
        print(tr("ui.bench_dashboard.checked", ["months": String(months.count), "rows": String(rows)]))
        return (months, (BenchStatistics.median(fastTimes), slow))
    }

    /// A new office login and a web session opened as it (the page's cookie).
    static func officeSession(login: String, on connection: Connection) async throws -> String {
        let token = SessionTokens.make()
        try await connection.withIsolated { db in
            try UserAccounts.add(login: login, role: .office, districtCode: nil, password: nil, on: db)
            try db.transaction { tx in
                try tx.execute("SELECT set_config('role', \(login), true)")
                _ = try tx.query("SELECT vl_session_open(decode(\(SessionTokens.hashHex(token)), 'hex'), interval '4 hours', '127.0.0.1')")
            }
        }
        return token
    }
}

/// The server's own figures for GET /dashboard from its Prometheus text
/// (`vledger_http_request_duration_seconds`): the sum, the count and the cumulative buckets.
struct ServerHistogram {
    var sum = 0.0
    var count = 0.0
    var buckets: [(bound: Double, count: Double)] = []

    init(_ text: String) throws {
        let name = "vledger_http_request_duration_seconds"
        for line in text.split(separator: "\n") where line.hasPrefix(name)
            && line.contains("route=\"/dashboard\"") && line.contains("method=\"GET\"") {
            guard let value = line.split(separator: " ").last.flatMap({ Double($0) }) else { continue }
            if line.hasPrefix(name + "_sum") { sum = value }
            else if line.hasPrefix(name + "_count") { count = value }
            else if line.hasPrefix(name + "_bucket"), let range = line.range(of: #"le="[^"]+""#, options: .regularExpression) {
                let bound = line[range].dropFirst(4).dropLast()
                buckets.append((bound == "+Inf" ? .infinity : Double(bound) ?? .infinity, value))
            }
        }
        buckets.sort { $0.bound < $1.bound }
    }

    /// What was observed between `earlier` and this scrape: mean seconds and the buckets.
    func since(_ earlier: ServerHistogram) -> (mean: Double, bound: (Double) -> Double)? {
        let requests = count - earlier.count
        guard requests > 0 else { return nil }
        let before = Dictionary(earlier.buckets.map { ($0.bound, $0.count) }, uniquingKeysWith: { $1 })
        let delta = buckets.map { ($0.bound, $0.count - (before[$0.bound] ?? 0)) }
        // The smallest bucket bound under which at least that share of the requests fell.
        let bound = { (share: Double) -> Double in delta.first { $0.1 >= share * requests }?.0 ?? .infinity }
        return ((sum - earlier.sum) / requests, bound)
    }
}
