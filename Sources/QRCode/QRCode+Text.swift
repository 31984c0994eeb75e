extension QRCode {
    /// The symbol as terminal text, two module rows a line with Unicode half blocks. Terminals
    /// draw text light on dark, so the light modules (and the quiet zone) are the drawn ones;
    /// `darkOnLight` draws the dark ones instead, for a light background.
    public func terminalText(border: Int = 2, darkOnLight: Bool = false) -> String {
        var lines: [String] = []
        for y in stride(from: -border, to: size + border, by: 2) {
            var line = ""
            for x in -border..<(size + border) {
                let top = self[x, y] != darkOnLight
                let bottom = (y + 1 < size + border) ? self[x, y + 1] != darkOnLight : true
                line += top && bottom ? " " : top ? "▄" : bottom ? "▀" : "█"
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}
