import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import VLedgerCore

/// Who is asking, once the session is resolved.
public struct Person: Sendable, Equatable {
    public let login: String
    public let sessionID: Int64
    /// SHA-256 of the token, hex (the token itself is never kept).
    public let tokenHashHex: String
    public let viaCookie: Bool
}

/// The request context of every route: the language of the reply (from Accept-Language) and,
/// once resolved, the person.
public struct APIContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var language: Language = .zh
    public var person: Person?
    public var clientAddress: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        clientAddress = source.channel.remoteAddress?.ipAddress
    }

    /// Bodies are read through `JSONBody` with their own limit; this bounds anything else.
    public var maxUploadSize: Int { JSONBody.limit }
}
