import Foundation
import HTTPTypes
import Hummingbird
import VLedgerCore

/// JSON replies, rendered by the same `JSONValue` as the CLI's `--format json`.
public enum JSONResponse {
    public static func make(_ value: JSONValue, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        text(value.rendered() + "\n", status: status, headers: headers)
    }

    /// Already rendered JSON (the metrics and statements exactly as the CLI prints them).
    public static func text(_ json: String, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var all = headers
        all[.contentType] = "application/json; charset=utf-8"
        all[.cacheControl] = "no-store"
        return Response(status: status, headers: all, body: .init(byteBuffer: ByteBuffer(string: json)))
    }

    public static func empty(_ status: HTTPResponse.Status = .noContent, headers: HTTPFields = [:]) -> Response {
        Response(status: status, headers: headers)
    }
}

/// The language of the reply: the first of Accept-Language's languages that vledger speaks,
/// by quality; zh when none.
enum AcceptLanguage {
    static func choose(_ header: String?) -> Language {
        guard let header else { return .zh }
        var best: (Language, Double)?
        for part in header.split(separator: ",") {
            let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = pieces.first, let language = Language(locale: tag) else { continue }
            var quality = 1.0
            for piece in pieces.dropFirst() where piece.hasPrefix("q=") { quality = Double(piece.dropFirst(2)) ?? 0 }
            if quality > 0, best == nil || quality > best!.1 { best = (language, quality) }
        }
        return best?.0 ?? .zh
    }
}

/// Sets the context's language before anything can fail.
struct LanguageMiddleware: RouterMiddleware {
    typealias Context = APIContext

    func handle(_ request: Request, context: APIContext, next: (Request, APIContext) async throws -> Response) async throws -> Response {
        var context = context
        context.language = AcceptLanguage.choose(request.headers[.acceptLanguage])
        // The pages read it through WebText (their handlers render texts far from the context).
        var response = try await WebText.$language.withValue(context.language) { try await next(request, context) }
        response.headers[.contentLanguage] = context.language == .zh ? "zh-CN" : "en"
        return response
    }
}
