import Foundation

/// Bar charts drawn on the server as SVG: one bar per district, the target as a line, and the
/// numbers in the chart's title and description for screen readers (the table beside it has them too).
enum WebCharts {
    struct Bar {
        let label: String
        /// As the figures print it (already rounded); nil when unknown.
        let text: String?
        let meets: Bool?
    }

    static func bars(id: String, title: String, bars: [Bar], target: Decimal, targetText: String) -> String {
        let rowHeight = 26, labelWidth = 96, chartWidth = 200, valueWidth = 64
        let width = labelWidth + chartWidth + valueWidth, height = 24 + rowHeight * max(bars.count, 1)
        let values = bars.map { $0.text.flatMap { Decimal(string: $0) } ?? 0 }
        let top = max(values.max() ?? 0, target) * Decimal(string: "1.1")!
        func x(_ value: Decimal) -> Int {
            guard top > 0 else { return labelWidth }
            return labelWidth + Int(truncating: (value / top * Decimal(chartWidth)) as NSDecimalNumber)
        }
        let description = bars.map { "\($0.label) \($0.text ?? "无数据")\($0.meets == true ? " 达标" : $0.meets == false ? " 未达标" : "")" }
            .joined(separator: "；") + "；目标 \(targetText)"
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(width) \(height)" width="100%" style="max-width:36rem" role="img" aria-labelledby="\(id)-t \(id)-d" id="\(id)">\
            <title id="\(id)-t">\(escape(title))</title><desc id="\(id)-d">\(escape(description))</desc>
            """
        for (index, bar) in bars.enumerated() {
            let y = 20 + index * rowHeight
            let fill = bar.meets == true ? "#1f7a3a" : bar.meets == false ? "#b3261e" : "#6b7280"
            svg += "<text x=\"\(labelWidth - 6)\" y=\"\(y + 15)\" text-anchor=\"end\" font-size=\"13\">\(escape(String(bar.label.prefix(7))))</text>"
            svg += "<rect x=\"\(labelWidth)\" y=\"\(y + 3)\" width=\"\(max(0, x(values[index]) - labelWidth))\" height=\"\(rowHeight - 8)\" fill=\"\(fill)\"/>"
            svg += "<text x=\"\(x(values[index]) + 4)\" y=\"\(y + 15)\" font-size=\"12\">\(escape(bar.text ?? "—"))</text>"
        }
        let line = x(target)
        svg += "<line x1=\"\(line)\" y1=\"14\" x2=\"\(line)\" y2=\"\(height)\" stroke=\"#111\" stroke-width=\"2\" stroke-dasharray=\"5 3\"/>"
        svg += "<text x=\"\(line)\" y=\"11\" text-anchor=\"middle\" font-size=\"12\">目标 \(escape(targetText))</text></svg>"
        return svg
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
