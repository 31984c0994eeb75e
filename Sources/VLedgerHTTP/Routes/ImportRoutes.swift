import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import VLedgerCore

/// `POST /api/v1/volunteers/import`: a spreadsheet as the body (CSV or xlsx, up to 50 MB while
/// every other body stays ≤ 1 MB), imported by the same service as `vledger volunteer import`,
/// answered with its per-row report. Skipped bad rows are kept for their uploader as a rejects
/// CSV to download.
enum ImportRoutes {
    static let csvTypes: Set<String> = ["text/csv", "application/csv", "text/plain"]
    static let xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    static func register(on router: Router<APIContext>, api: API) {
        router.post("/api/v1/volunteers/import") { request, context -> Response in
            var request = request
            let person = try api.authenticator.person(for: request)
            let type = request.headers[.contentType].map(mediaType) ?? ""
            guard csvTypes.contains(type) || type == xlsxType || type == "application/octet-stream" else {
                throw UserFacingError(.malformed, code: "import_content_type")
            }
            let skipBad = try flag(Parse.query(request, "skip_bad"), "skip_bad")
            let encoding = try Self.encoding(Parse.query(request, "encoding"))
            let source = fileName(Parse.query(request, "file"), xlsx: type == xlsxType)
            let bytes = try await body(&request)
            return try await run(bytes, source: source, skipBad: skipBad, encoding: encoding, person: person, api: api, language: context.language)
        }
        router.get("/api/v1/volunteers/import/rejects/{id}") { request, context -> Response in
            let person = try api.authenticator.person(for: request)
            let id = try Parse.path(context, "id")
            guard let file = await api.rejects.take(id, for: person) else {
                throw UserFacingError(.notFound, code: "import_rejects_gone", field: "id", value: String(id.prefix(40)))
            }
            return csv(file.bytes, name: file.name)
        }
    }

    /// The import and its JSON reply.
    static func run(_ bytes: [UInt8], source: String, skipBad: Bool, encoding: TextEncoding?, person: Person, api: API,
                    language: Language) async throws -> Response {
        do {
            let (json, _) = try await importing(bytes, source: source, skipBad: skipBad, encoding: encoding, person: person, api: api)
            return JSONResponse.make(json)
        } catch VLedgerError.importRejected(let report) {
            let facing = UserFacingError(.invalid, code: "import_rejected", args: ["bad": String(Set(report.problems.compactMap(\.line)).count)])
            return JSONResponse.make(.object([
                ("code", .string(facing.code)), ("field", .null), ("message", .string(facing.message(in: language))),
                ("report", report.json(applied: false)),
            ]), status: .unprocessableContent)
        }
    }

    /// Imports as the person; the report's JSON (with where its rejects are) and the outcome.
    static func importing(_ bytes: [UInt8], source: String, skipBad: Bool, encoding: TextEncoding?, person: Person,
                          api: API) async throws -> (JSONValue, ImportUpload) {
        var upload = try await api.database.asPerson(person) { session in
            try await VolunteerImport.upload(bytes, source: source, skipBad: skipBad, encoding: encoding, in: session)
        }
        if let rejects = upload.rejects {
            let id = await api.rejects.keep(rejects, name: rejectsName(source), for: person)
            upload.outcome.rejectsFile = "/api/v1/volunteers/import/rejects/\(id)"
        }
        return (upload.outcome.report.json(applied: true, rejectsFile: upload.outcome.rejectsFile), upload)
    }

    static func body(_ request: inout Request) async throws -> [UInt8] {
        do {
            let buffer = try await request.collectBody(upTo: VolunteerImport.uploadLimit)
            return Array(buffer.readableBytesView)
        } catch is NIOTooManyBytesError {
            throw UserFacingError(.tooLarge, code: "body_too_large", args: ["limit": String(VolunteerImport.uploadLimit)])
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw UserFacingError(.tooLarge, code: "body_too_large", args: ["limit": String(VolunteerImport.uploadLimit)])
        }
    }

    static func mediaType(_ header: String) -> String {
        header.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
    }

    static func flag(_ text: String?, _ name: String) throws -> Bool {
        switch text?.lowercased() {
        case .none, "false", "0", "no": return false
        case "true", "1", "yes": return true
        case .some(let other): throw UserFacingError(.invalid, code: "query_parameter", field: name, value: String(other.prefix(20)))
        }
    }

    static func encoding(_ text: String?) throws -> TextEncoding? {
        switch text?.lowercased() {
        case .none: return nil
        case "utf-8", "utf8": return .utf8
        case "gb18030", "gbk", "gb2312": return .gb18030
        case .some(let other): throw UserFacingError(.invalid, code: "query_parameter", field: "encoding", value: String(other.prefix(20)))
        }
    }

    /// The name messages use for the file: the uploader's, without any folder, else upload.csv/xlsx.
    static func fileName(_ given: String?, xlsx: Bool) -> String {
        let base = (given ?? "").split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let cleaned = String(base.filter { !$0.isNewline && $0 != "\"" }.prefix(100))
        return cleaned.isEmpty ? (xlsx ? "upload.xlsx" : "upload.csv") : cleaned
    }

    static func rejectsName(_ source: String) -> String {
        let lower = source.lowercased()
        let base = lower.hasSuffix(".csv") || lower.hasSuffix(".xlsx") ? String(source[..<(source.lastIndex(of: ".") ?? source.endIndex)]) : source
        return base + ".rejects.csv"
    }

    static func csv(_ bytes: [UInt8], name: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/csv; charset=utf-8"
        headers[.cacheControl] = "no-store"
        let ascii = String(name.unicodeScalars.filter { $0.isASCII && $0 != "\"" }.map(Character.init))
        let encoded = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "._-"))) ?? "rejects.csv"
        headers[.contentDisposition] = "attachment; filename=\"\(ascii.isEmpty ? "rejects.csv" : ascii)\"; filename*=UTF-8''\(encoded)"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

/// Rejects files of recent imports, each for the session that uploaded it only, in memory for an
/// hour (nothing personal goes to disk); the oldest go first when they hold more than 64 MB.
actor RejectsStore {
    struct File: Sendable {
        let owner: String
        let name: String
        let bytes: [UInt8]
        let made: Date
    }

    static let lifetime: TimeInterval = 3600
    static let budget = 64 * 1_048_576
    private var files: [String: File] = [:]
    private var order: [String] = []

    func keep(_ bytes: [UInt8], name: String, for person: Person) -> String {
        let id = SessionTokens.make().prefix(32)
        files[String(id)] = File(owner: person.tokenHashHex, name: name, bytes: bytes, made: Date())
        order.append(String(id))
        var total = files.values.reduce(0) { $0 + $1.bytes.count }
        while total > Self.budget, order.count > 1 {
            let oldest = order.removeFirst()
            total -= files.removeValue(forKey: oldest)?.bytes.count ?? 0
        }
        return String(id)
    }

    /// The file, while it is kept and only for the session that uploaded it.
    func take(_ id: String, for person: Person) -> File? {
        let now = Date()
        for (key, file) in files where now.timeIntervalSince(file.made) > Self.lifetime {
            files[key] = nil
            order.removeAll { $0 == key }
        }
        guard let file = files[id], file.owner == person.tokenHashHex else { return nil }
        return file
    }
}
