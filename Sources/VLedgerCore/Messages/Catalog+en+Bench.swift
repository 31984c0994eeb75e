// English texts of `vledger bench http` (see Catalog.swift).
extension Catalog {
    static let enBench: [String: String] = [
        "help.bench_http.abstract": "POST /api/v1/hours through a real vledger serve process under wrk (with retries of the same Idempotency-Key), and in the same run pgbench sending the same insert transaction straight to PostgreSQL; print requests/second, latency, the ratio, and check the rows in SQL.",
        "help.bench_http.seconds": "Seconds of each load.",
        "help.bench_http.connections": "Concurrent wrk connections.",
        "help.bench_http.volunteers": "Volunteers (10-minute entries, never overlapping).",
        "help.bench_http.pool": "The service's database pool, and pgbench's client count.",
        "error.usage_bench_runs": "--runs must be from {min} to {max}",
        "error.usage_bench_reuse": "--reuse: \"{name}\" is not a database name made of letters, digits and _",
        "ui.bench_http.positive": "values must be positive",
        "ui.bench_http.tool_missing": "{tool} not found: this benchmark needs it ({hint})",
        "ui.bench_http.serving": "starting vledger serve…",
        "ui.bench_http.wrk": "wrk: {connections} connections, {seconds} s…",
        "ui.bench_http.pgbench": "pgbench: the same insert transaction…",
    ]
}
