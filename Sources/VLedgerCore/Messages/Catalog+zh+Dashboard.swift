// `vledger bench dashboard` 的中文文本（问题 14；见 Catalog.swift）。
extension Catalog {
    static let zhDashboard: [String: String] = [
        "help.bench_dashboard.abstract": "通过真实运行的 `vledger serve` 测量指挥办指标看板页面（GET /dashboard）的耗时，并与通过 psql 运行的手写 SQL 计算同样指标的耗时比较。",
        "help.bench_dashboard.discussion": "载入与 `bench metrics` 相同的示例城市（或用 --reuse NAME 复用保留的数据库），核对看板由按志愿者保存的各月末行（0262）算出的指标与逐月末完整计算的结果相同、手写 SQL 打印的指标与 `vledger metrics --by month --format csv` 相同；在该城市上启动 `vledger serve`，以新建的文明办账号登录，先请求一次 GET /dashboard?year=Y 预热，再经本机回环依次请求 --requests 次，打印客户端测得的中位数和 p95、服务器 /metrics 给出的自身耗时、页面大小、通过 psql（一个进程）运行全年及 12 个月末手写 SQL 的耗时，以及二者之比。",
        "help.bench_dashboard.requests": "计时请求页面的次数，依次进行（另有一次预热）。",
        "ui.bench_dashboard.checked": "指标一致：按保存的各月末行算出 = 逐月末完整计算（{months} 个月末）；手写 SQL = vledger metrics --by month（{rows} 行）",
        "ui.bench_dashboard.serving": "在该城市上启动 vledger serve，以文明办账号 {login} 登录……",
        "ui.bench_dashboard.page": "GET /dashboard?year={year}：预热后请求 {requests} 次，页面 HTML {bytes} 字节",
        "ui.bench_dashboard.client": "客户端（curl 经本机回环，整个请求）：中位数 {median} 毫秒，p95 {p95} 毫秒",
        "ui.bench_dashboard.server": "服务器内（/metrics 的 vledger_http_request_duration_seconds）：平均 {mean} 毫秒；按其分桶，中位数 ≤ {p50} 毫秒，p95 ≤ {p95} 毫秒",
        "ui.bench_dashboard.service": "服务层计算看板指标（全年与各月末，同一快照）：{fast} 毫秒；原先逐月末完整计算：{slow} 毫秒",
        "ui.bench_dashboard.psql": "手写 SQL 通过 psql 计算全年及 {months} 个月末（一个完整进程，{statements} 条语句）：{ms} 毫秒",
        "ui.bench_dashboard.ratio": "看板页面（客户端中位数）/ 通过 psql 的手写 SQL 之比：{ratio}",
        "ui.bench_dashboard.budget": "指标要求服务器内 ≤ 300 毫秒（问题 14 针对 10 万志愿者、300 万条记录的城市；本次城市规模见上）：{verdict}",
        "ui.bench_dashboard.met": "达到",
        "ui.bench_dashboard.missed": "未达到",
        "error.bench_dashboard_differs": "bench：{what} 不一致：\n{detail}",
        "error.bench_dashboard_status": "bench：GET /dashboard 返回 {status}（应为 200 并含全市指标）",
    ]
}
