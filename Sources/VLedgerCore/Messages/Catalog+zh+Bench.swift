// Simplified Chinese texts of `vledger bench http` (see Catalog.swift).
extension Catalog {
    static let zhBench: [String: String] = [
        "help.bench_http.abstract": "通过真实的 vledger serve 进程用 wrk 压测 POST /api/v1/hours（含同一幂等键的重试），同一次运行中用 pgbench 直接向 PostgreSQL 发送相同的插入事务；打印每秒请求数、延迟、二者之比，并用 SQL 核对写入的行数",
        "help.bench_http.seconds": "每项压测的秒数",
        "help.bench_http.connections": "wrk 的并发连接数",
        "help.bench_http.volunteers": "志愿者人数（每条记录 10 分钟，互不重叠）",
        "help.bench_http.pool": "服务的数据库连接池大小，也是 pgbench 的客户端数",
        "error.usage_bench_runs": "--runs 必须在 {min} 到 {max} 之间",
        "error.usage_bench_reuse": "--reuse：「{name}」不是由字母、数字和 _ 组成的数据库名",
        "ui.bench_http.positive": "各项数值必须为正数",
        "ui.bench_http.tool_missing": "未找到 {tool}：本压测需要它（{hint}）",
        "ui.bench_http.serving": "正在启动 vledger serve……",
        "ui.bench_http.wrk": "wrk：{connections} 个连接，{seconds} 秒……",
        "ui.bench_http.pgbench": "pgbench：相同的插入事务……",
    ]
}
