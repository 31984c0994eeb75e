// English texts of `vledger bench dashboard` (issue 14; see Catalog.swift).
extension Catalog {
    static let enDashboard: [String: String] = [
        "help.bench_dashboard.abstract": "Time the office dashboard page (GET /dashboard) through a real `vledger serve` against the same figures by hand-written SQL through psql.",
        "help.bench_dashboard.discussion": "Loads the sample city of `bench metrics` (or reuses a kept one with --reuse NAME), checks that the dashboard's month-ends (from the rows kept per volunteer, 0262) equal one full compute per month-end and that the hand-written SQL prints the figures of `vledger metrics --by month --format csv`, starts `vledger serve` on the city, signs in as a new office login, requests GET /dashboard?year=Y once to warm up and then --requests times one after the other over loopback, and prints the median and p95 time at the client, the server's own time from /metrics, the page's size, the hand-written SQL for the year and its 12 month-ends through psql (one process), and the ratio.",
        "help.bench_dashboard.requests": "Timed requests of the page, one after the other (after one to warm up).",
        "ui.bench_dashboard.checked": "same figures: the month-ends from the kept rows = one compute per month-end ({months} month-ends); hand-written SQL = vledger metrics --by month ({rows} rows)",
        "ui.bench_dashboard.serving": "starting vledger serve on the city, signed in as office login {login}…",
        "ui.bench_dashboard.page": "GET /dashboard?year={year}: {requests} requests after a warm-up, {bytes} bytes of HTML",
        "ui.bench_dashboard.client": "{median} ms median, {p95} ms p95 at the client (curl over loopback, the whole request)",
        "ui.bench_dashboard.server": "{mean} ms mean in the server (from /metrics' vledger_http_request_duration_seconds); median ≤ {p50} ms, p95 ≤ {p95} ms by its buckets",
        "ui.bench_dashboard.service": "{fast} ms the dashboard's figures in the service (year + month-ends, one snapshot); {slow} ms one compute per month-end as before",
        "ui.bench_dashboard.psql": "{ms} ms hand-written SQL, the year and its {months} month-ends through psql (one whole process, {statements} statements)",
        "ui.bench_dashboard.ratio": "ratio dashboard page (median at the client) / hand-written SQL through psql: {ratio}",
        "ui.bench_dashboard.budget": "budget ≤ 300 ms at the server (issue 14 sets it for a 100,000-volunteer / 3,000,000-entry city; this run's city is printed above): {verdict}",
        "ui.bench_dashboard.met": "met",
        "ui.bench_dashboard.missed": "missed",
        "error.bench_dashboard_differs": "bench: {what} differs:\n{detail}",
        "error.bench_dashboard_status": "bench: GET /dashboard answered {status} (expected 200 with the city's figures)",
    ]
}
