import Foundation
import VLedgerCore

enum BenchTools {
    static func find(_ name: String, hint: String) throws -> URL {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "") + ":/usr/bin:/usr/sbin"
        for dir in path.split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(dir)/\(name)") {
            return URL(fileURLWithPath: "\(dir)/\(name)")
        }
        throw VLedgerError.configuration(tr("ui.bench_http.tool_missing", ["tool": name, "hint": hint]))
    }

    static func scratchFile(_ name: String, _ text: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("vledger-bench-\(UUID().uuidString.prefix(8))-\(name)")
        try Data(text.utf8).write(to: url)
        return url
    }
}

/// `vledger serve` as its own process (this very build) on a free loopback port.
final class ServeUnderBench: @unchecked Sendable {
    let process: Process
    let port: Int
    private let lock = NSLock()

    private init(process: Process, port: Int) {
        self.process = process
        self.port = port
    }

    static func start(_ connectionString: String, pool: Int) async throws -> ServeUnderBench {
        let process = Process()
        process.executableURL = BenchProcess.vledger
        process.arguments = ["--lang", "en", "serve", "--listen", "127.0.0.1:0", "--pool", String(pool), "--database-url", connectionString]
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "VLEDGER_DATABASE_URL")
        process.environment = environment
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        let seen = SeenText()
        errors.fileHandleForReading.readabilityHandler = { handle in seen.append(handle.availableData) }
        try process.run()
        // The server's per-request log lines are read and dropped so its pipe never fills.
        while process.isRunning {
            let text = seen.text
            if let range = text.range(of: #"listening on http://127\.0\.0\.1:[0-9]+"#, options: .regularExpression),
               let port = Int(text[range].split(separator: ":").last ?? "") {
                seen.stopKeeping()
                return ServeUnderBench(process: process, port: port)
            }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        throw VLedgerError.configuration("vledger serve did not start: \(seen.text.suffix(2000))")
    }

    func stop() {
        lock.lock(); defer { lock.unlock() }
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }
}

final class SeenText: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    private var keeping = true
    func append(_ more: Data) { lock.lock(); if keeping { data.append(more) }; lock.unlock() }
    func stopKeeping() { lock.lock(); keeping = false; data = Data(); lock.unlock() }
    var text: String { lock.lock(); defer { lock.unlock() }; return String(decoding: data, as: UTF8.self) }
}

/// wrk with a Lua script: request n of a thread records volunteer n mod V at slot n / V of the
/// activity (10-minute entries, so no two overlap); every tenth request repeats the one five
/// before it with its Idempotency-Key. Counts the statuses; prints one JSON line at the end.
enum WrkRun {
    struct Figures {
        let requests: Int
        let seconds: Double
        let created: Int64
        let replayed: Int64
        let other: Int64
        let socketErrors: Int64
        let p50: Double, p90: Double, p99: Double, max: Double
    }

    static func script(token: String, activity: Int64, numbers: [String], activityStart: Date, threads: Int) -> String {
        let list = numbers.map { "\"\($0)\"" }.joined(separator: ",")
        return """
            local numbers = {\(list)}
            local V = #numbers
            local start = \(Int(activityStart.timeIntervalSince1970))
            local threads = {}
            local next_id = 0
            function setup(thread)
              thread:set("tid", next_id)
              next_id = next_id + 1
              table.insert(threads, thread)
            end
            -- Globals of each thread's state, read by done() through thread:get.
            counter, created, replayed, other = 0, 0, 0, 0
            sent = {}
            local function body_for(n)
              local volunteer = numbers[(n % V) + 1]
              local slot = math.floor(n / V)
              local at = os.date("!%Y-%m-%dT%H:%M:%S", start + slot * 600 + 8 * 3600) .. "+08:00"
              return '{"activity":\(activity),"volunteer":"' .. volunteer .. '","minutes":10,"start":"' .. at .. '"}'
            end
            function request()
              counter = counter + 1
              local n
              if counter % 10 == 0 and counter > 5 then
                n = sent[counter - 5]
              else
                n = counter * \(threads) + tid
              end
              sent[counter] = n
              return wrk.format("POST", "/api/v1/hours", {
                ["Content-Type"] = "application/json",
                ["Authorization"] = "Bearer \(token)",
                ["Idempotency-Key"] = "bench-" .. n,
              }, body_for(n))
            end
            function response(status, headers, body)
              if status == 201 then created = created + 1
              elseif status == 200 then replayed = replayed + 1
              else
                other = other + 1
                if other <= 3 then io.stderr:write("wrk: status " .. status .. ": " .. body .. "\\n") end
              end
            end
            function done(summary, latency, requests)
              local c, r, o = 0, 0, 0
              for _, t in ipairs(threads) do
                c = c + t:get("created"); r = r + t:get("replayed"); o = o + t:get("other")
              end
              local e = summary.errors
              io.write(string.format('VLEDGER {"requests":%d,"micros":%d,"created":%d,"replayed":%d,"other":%d,"socket_errors":%d,"p50":%d,"p90":%d,"p99":%d,"max":%d}\\n',
                summary.requests, summary.duration, c, r, o, e.connect + e.read + e.write + e.timeout,
                latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
            end
            """
    }

    static func run(_ wrk: URL, port: Int, token: String, activity: Int64, numbers: [String], activityStart: Date,
                    seconds: Int, connections: Int) throws -> Figures {
        let threads = 2
        let script = try BenchTools.scratchFile("hours.lua", script(token: token, activity: activity, numbers: numbers,
                                                                   activityStart: activityStart, threads: threads))
        defer { try? FileManager.default.removeItem(at: script) }
        let output = try BenchProcess.output(wrk, ["-t", String(threads), "-c", String(max(connections, threads)), "-d", "\(seconds)s",
                                                   "--timeout", "10s", "-s", script.path, "http://127.0.0.1:\(port)/"])
        guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix("VLEDGER ") }),
              let json = try JSONSerialization.jsonObject(with: Data(line.dropFirst(8).utf8)) as? [String: Any] else {
            throw VLedgerError.configuration("wrk printed no figures: \(output.suffix(2000))")
        }
        func int(_ key: String) -> Int64 { (json[key] as? NSNumber)?.int64Value ?? 0 }
        func ms(_ key: String) -> Double { Double(int(key)) / 1000 }
        return Figures(requests: Int(int("requests")), seconds: Double(int("micros")) / 1e6, created: int("created"),
                       replayed: int("replayed"), other: int("other"), socketErrors: int("socket_errors"),
                       p50: ms("p50"), p90: ms("p90"), p99: ms("p99"), max: ms("max"))
    }
}

/// pgbench with a custom script: the insert the service makes for one request, as the person.
enum PgbenchRun {
    struct Figures {
        let transactions: Int64
        let rate: Double
        let averageMilliseconds: Double
    }

    /// `transactions` in all, as many as the HTTP run created: the same work. (Not `-T`: pgbench
    /// ends a timed run on SIGALRM, which a child of this process inherits blocked.)
    static func run(_ pgbench: URL, connectionString: String, person: String, setup: BenchHTTP.Setup,
                    volunteers: Int, transactions: Int64, connections: Int) throws -> Figures {
        // Its own activity, 25 days after the HTTP run's entries: the same volunteers, never overlapping.
        let start = Int(setup.activityStart.timeIntervalSince1970) + 25 * 86_400
        let script = try BenchTools.scratchFile("hours.sql", """
            SELECT nextval('bench_http_n') AS n \\gset
            BEGIN;
            SELECT set_config('role', '\(person)', true);
            INSERT INTO hours_entry (volunteer_id, activity_id, service_start, minutes, request_id, source)
            VALUES (\(setup.firstVolunteerID) + :n % \(volunteers), \(setup.pgbenchActivity),
                    to_timestamp(\(start) + (:n / \(volunteers)) * 600), 10, 'pgbench-' || :n, 'record');
            COMMIT;
            """)
        defer { try? FileManager.default.removeItem(at: script) }
        let output = try BenchProcess.output(pgbench, ["-n", "-f", script.path, "-c", String(connections), "-j", "2",
                                                       "-t", String(max(1, (transactions + Int64(connections) - 1) / Int64(connections))), connectionString])
        func figure(after label: String) -> Double? {
            guard let line = output.split(separator: "\n").first(where: { $0.contains(label) }) else { return nil }
            let rest = line[line.range(of: label)!.upperBound...]
            // "6744/6744" for the processed count (done of planned), a plain number elsewhere.
            let word = rest.trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? ""
            return Double(word.split(separator: "/").first ?? "")
        }
        guard let count = figure(after: "number of transactions actually processed:"),
              let tps = figure(after: "tps ="), let latency = figure(after: "latency average =") else {
            throw VLedgerError.configuration("pgbench printed no figures: \(output.suffix(2000))")
        }
        let failed = figure(after: "number of failed transactions:") ?? 0
        guard failed == 0 else { throw VLedgerError.conflict("pgbench: \(Int(failed)) transactions failed") }
        return Figures(transactions: Int64(count), rate: tps, averageMilliseconds: latency)
    }
}
