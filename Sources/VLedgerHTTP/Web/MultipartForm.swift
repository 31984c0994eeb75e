import Foundation

/// A `multipart/form-data` body (RFC 7578) as browsers send a form with a file: text fields by
/// name, and the file's name and bytes.
struct MultipartForm: Sendable {
    struct FilePart: Sendable {
        let name: String
        let bytes: [UInt8]
    }

    var fields: [String: String] = [:]
    var files: [String: FilePart] = [:]

    /// nil when the content type names no boundary or the body is not made of its parts.
    static func parse(_ body: [UInt8], contentType: String) -> MultipartForm? {
        guard let boundary = parameter("boundary", in: contentType), !boundary.isEmpty else { return nil }
        let delimiter = Array("--\(boundary)".utf8)
        var form = MultipartForm()
        var cursor = 0
        guard let first = find(delimiter, in: body, from: 0) else { return nil }
        cursor = first + delimiter.count
        while cursor + 2 <= body.count, !(body[cursor] == 0x2D && body[cursor + 1] == 0x2D) {
            // After the delimiter: CRLF, the part's headers, an empty line, its content, CRLF, the next delimiter.
            cursor += 2
            guard let headersEnd = find(Array("\r\n\r\n".utf8), in: body, from: cursor),
                  let next = find(Array("\r\n".utf8) + delimiter, in: body, from: headersEnd + 4)
            else { return nil }
            let headers = String(decoding: body[cursor..<headersEnd], as: UTF8.self)
            let content = Array(body[(headersEnd + 4)..<next])
            let disposition = headers.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-disposition:") }.map(String.init) ?? ""
            if let name = parameter("name", in: disposition) {
                if let file = parameter("filename", in: disposition) {
                    form.files[name] = FilePart(name: file, bytes: content)
                } else {
                    form.fields[name] = String(decoding: content, as: UTF8.self)
                }
            }
            cursor = next + 2 + delimiter.count
        }
        return form
    }

    /// `name=value` or `name="value"` of a header.
    static func parameter(_ name: String, in header: String) -> String? {
        for piece in header.split(separator: ";").dropFirst().map({ $0.trimmingCharacters(in: .whitespaces) }) {
            let pair = piece.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2, pair[0].lowercased() == name else { continue }
            var value = pair[1]
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return value
        }
        return nil
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard let first = needle.first, haystack.count >= needle.count else { return nil }
        var index = start
        let last = haystack.count - needle.count
        while index <= last {
            if haystack[index] == first {
                var match = true
                for offset in 1..<needle.count where haystack[index + offset] != needle[offset] {
                    match = false
                    break
                }
                if match { return index }
            }
            index += 1
        }
        return nil
    }
}
