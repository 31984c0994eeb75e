import Foundation
import PostgresLibPQ

extension MetricsService {
    /// `--by month` for a person (the HTTP service acting for them): the same figures in one snapshot.
    public static func runByMonth(_ request: MetricsRequest, in session: LedgerSession) async throws -> [MetricsReport] {
        try await session.snapshot { db in
            try tune(db)
            return try computeMonths(request, on: db)
        }
    }

    /// The figures by organisation, category or project, in one snapshot.
    public static func runGrouped(_ grouping: MetricsGrouping, _ request: MetricsRequest, in session: LedgerSession) async throws
        -> GroupedMetricsReport
    {
        try await session.snapshot { db in
            try tune(db)
            return try computeGrouped(grouping, request, on: db)
        }
    }

    /// The dashboard's figures: the year's report and its monthly progress, in one snapshot.
    public static func runYearAndMonths(_ request: MetricsRequest, in session: LedgerSession) async throws
        -> (year: MetricsReport, months: [MetricsReport])
    {
        try await session.snapshot { db in
            try tune(db)
            return try computeYearAndMonths(request, on: db)
        }
    }
}
