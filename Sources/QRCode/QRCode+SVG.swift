extension QRCode {
    /// The symbol as an SVG image: one path of unit squares on a white square with a quiet zone
    /// of `border` modules, scaled by the page (crisp at any size).
    public func svg(border: Int = 4, pixelsPerModule: Int = 8) -> String {
        let side = size + 2 * border
        var path = ""
        for y in 0..<size {
            for x in 0..<size where self[x, y] {
                path += "M\(x + border),\(y + border)h1v1h-1z"
            }
        }
        return """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(side) \(side)" width="\(side * pixelsPerModule)" height="\(side * pixelsPerModule)" shape-rendering="crispEdges">\
            <rect width="\(side)" height="\(side)" fill="#fff"/><path d="\(path)" fill="#000"/></svg>
            """
    }
}
