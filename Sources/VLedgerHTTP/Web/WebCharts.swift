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
        let description = bars.map { "\($0.label) \($0.text ?? WebText.text("chart.no_data"))\($0.meets == true ? WebText.text("chart.meets") : $0.meets == false ? WebText.text("chart.misses") : "")" }
            .joined(separator: WebText.text("chart.separator")) + WebText.text("chart.separator") + "\(WebText.text("chart.target")) \(targetText)"
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
        svg += "<text x=\"\(line)\" y=\"11\" text-anchor=\"middle\" font-size=\"12\">\(escape(WebText.text("chart.target"))) \(escape(targetText))</text></svg>"
        return svg
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}

extension WebCharts {
    struct Point {
        let label: String
        /// As the figures print it; nil when unknown.
        let text: String?
    }

    /// A line of cumulative month-end values against the target (dashed), with every month's
    /// number in the chart's description for screen readers.
    static func trend(id: String, title: String, points: [Point], target: Decimal, targetText: String) -> String {
        let left = 44, right = 12, top = 22, plotHeight = 150, bottom = 34
        let step = 26, width = left + right + step * max(points.count - 1, 1), height = top + plotHeight + bottom
        let values = points.map { $0.text.flatMap { Decimal(string: $0) } }
        let ceiling = max(values.compactMap { $0 }.max() ?? 0, target) * Decimal(string: "1.15")!
        func y(_ value: Decimal) -> Int {
            guard ceiling > 0 else { return top + plotHeight }
            return top + plotHeight - Int(truncating: (value / ceiling * Decimal(plotHeight)) as NSDecimalNumber)
        }
        func x(_ index: Int) -> Int { left + index * step }
        let description = points.map { "\($0.label) \($0.text ?? WebText.text("chart.no_data"))" }.joined(separator: WebText.text("chart.separator")) + WebText.text("chart.separator") + "\(WebText.text("chart.target")) \(targetText)"
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(width) \(height)" width="100%" style="max-width:36rem" role="img" aria-labelledby="\(id)-t \(id)-d" id="\(id)">\
            <title id="\(id)-t">\(escape(title))</title><desc id="\(id)-d">\(escape(description))</desc>
            """
        svg += "<line x1=\"\(left)\" y1=\"\(top + plotHeight)\" x2=\"\(width - right)\" y2=\"\(top + plotHeight)\" stroke=\"#4b5563\"/>"
        svg += "<text x=\"\(left - 4)\" y=\"\(top + plotHeight + 4)\" text-anchor=\"end\" font-size=\"11\">0</text>"
        let line = y(target)
        svg += "<line x1=\"\(left)\" y1=\"\(line)\" x2=\"\(width - right)\" y2=\"\(line)\" stroke=\"#111\" stroke-width=\"2\" stroke-dasharray=\"5 3\"/>"
        svg += "<text x=\"\(left - 4)\" y=\"\(line + 4)\" text-anchor=\"end\" font-size=\"11\">\(escape(targetText))</text>"
        svg += "<text x=\"\(width - right)\" y=\"\(line - 5)\" text-anchor=\"end\" font-size=\"11\">\(escape(WebText.text("chart.target")))</text>"
        let known = values.enumerated().compactMap { index, value in value.map { (x(index), y($0)) } }
        if known.count > 1 {
            svg += "<polyline fill=\"none\" stroke=\"#0b57b0\" stroke-width=\"2.5\" points=\"\(known.map { "\($0.0),\($0.1)" }.joined(separator: " "))\"/>"
        }
        for (index, point) in points.enumerated() {
            if let value = values[index] {
                let meets = value >= target
                svg += "<circle cx=\"\(x(index))\" cy=\"\(y(value))\" r=\"3.5\" fill=\"\(meets ? "#1f7a3a" : "#b3261e")\"/>"
            }
            svg += "<text x=\"\(x(index))\" y=\"\(top + plotHeight + 16)\" text-anchor=\"middle\" font-size=\"11\">\(escape(String(point.label.suffix(2))))</text>"
        }
        if let last = points.last, let value = values.last ?? nil {
            svg += "<text x=\"\(x(points.count - 1))\" y=\"\(y(value) - 8)\" text-anchor=\"end\" font-size=\"12\">\(escape(last.text ?? ""))</text>"
        }
        svg += "<text x=\"\(left)\" y=\"\(top + plotHeight + 30)\" font-size=\"11\">\(escape(WebText.text("chart.month")))</text></svg>"
        return svg
    }
}
