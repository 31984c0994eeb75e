import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import VLedgerCore

/// Who is asking: the session's token as its hash (the token itself is never kept); the
/// database resolves it to the person at the start of the request's transaction.
public struct Person: Sendable, Equatable {
    /// SHA-256 of the token, hex.
    public let tokenHashHex: String
    public let viaCookie: Bool
}

/// The request context of every route: the language of the reply (from Accept-Language) and,
/// once resolved, the person.
public struct APIContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var language: Language = .zh
    public var clientAddress: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        clientAddress = source.channel.remoteAddress?.ipAddress
    }

    /// Bodies are read through `JSONBody` with their own limit; this bounds anything else.
    public var maxUploadSize: Int { JSONBody.limit }
}
