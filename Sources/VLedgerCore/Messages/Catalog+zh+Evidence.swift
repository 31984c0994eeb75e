// 测评材料包的中文文本（issue 16 §5）。
extension Catalog {
    static let zhEvidence: [String: String] = [
        "field.visit": "实地考察日期",
        "help.evidence.abstract": "生成测评材料包：指标表（xlsx、CSV、JSON）、活动清单、口径说明、带 sha256 的清单。",
        "help.evidence.asRecordedAt": "按此时刻的记录生成（默认：运行时刻，写入清单）。",
        "help.evidence.discussion": "示例：vledger evidence --year 2025 --visit 2026-06-15 --out 测评材料-2025。用清单中的 --as-recorded-at 再次运行，得到逐字节相同的文件。",
        "help.evidence.out": "输出文件夹（不存在时创建；同名文件被替换）。",
        "help.evidence.visit": "实地考察日期：另加考察前一个月为止的 12 个月。",
        "rule.evidence_visit_range": "考察日期须在 1951 年之后",
        "ui.evidence.commands_note": "重新生成本材料包的每个文件（逐字节相同），然后校验。",
        "ui.evidence.done": "测评材料包：{folder} 中 {count} 个文件",
        "ui.evidence.progress.activities": "正在读取活动……",
        "ui.evidence.progress.files": "正在写入文件……",
        "ui.evidence.progress.metrics": "正在计算 {what} 的指标……",
        "ui.evidence.readme.built_up": "城市建成区内的区划（全市数据按其汇总）",
        "ui.evidence.readme.definitions": "指标口径与分母",
        "ui.evidence.readme.intro": "按 {at}（时区 {zone}）的记录生成；审计链头 {head}。下面的命令可逐字节重新生成每个文件，SHA256SUMS 用于校验。",
        "ui.evidence.readme.population": "该时刻有效的常住人口（来源、年份）",
        "ui.evidence.readme.title": "{year} 年测评材料",
        "ui.evidence.readme.window": "{visit} 实地考察对应的时间窗口：{from} 至 {through}；注册人数截至 {through}，人口年份 {year}（窗口中天数最多的年份）。",
        "ui.evidence.wrote": "已写入 {file}（{bytes} 字节）",
    ]
}
