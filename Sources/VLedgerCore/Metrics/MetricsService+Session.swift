import Foundation
import PostgresLibPQ

extension MetricsService {
    /// `--by month` for a person (the HTTP service acting for them): the same figures in one snapshot.
    public static func runByMonth(_ request: MetricsRequest, in session: LedgerSession) async throws -> [MetricsReport] {
        let ends = monthEnds(of: request)
        return try await session.snapshot { db in
            try tune(db)
            return try ends.map { try compute(request.asOf($0), on: db) }
        }
    }
}
