import Foundation
import PostgresLibPQ

/// A volunteer checking themselves in or out with their number, the last 4 digits of their phone
/// and the organiser's code (0140). Two transactions on purpose: the try is committed first (a
/// wrong one counts towards the lock whatever the caller does next), then answered. The caller
/// is the service login acting for nobody (or the owner); the phone digits never leave this call.
public enum SelfCheckin {
    public struct Recorded: Sendable, Equatable {
        public let checkinID: Int64
        public let action: CheckinAction
        /// The time recorded: the server's clock (a check-in before the start counts from the start).
        public let at: Date
        /// Check-out only: the entry credited (nil when under a minute was served).
        public let entryID: Int64?
        public let minutes: Int?
        /// Approved at once (setting code_checkin_approval = automatic_up_to_8h, within 8 h that day).
        public let approved: Bool
    }

    public static func record(
        activity: Int64, volunteer: String, phoneLast4: String, code: String, action: CheckinAction,
        clientAddress: String?, at: Date? = nil, on db: Connection
    ) async throws -> Recorded {
        guard phoneLast4.count == 4, phoneLast4.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw UserFacingError.rule("checkin_phone_last4_format", field: "phone_last4")
        }
        let code = code.trimmingCharacters(in: .whitespaces)
        guard code.count == 6, code.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw UserFacingError.rule("checkin_code_format", field: "checkin_code")
        }
        let number = volunteer.trimmingCharacters(in: .whitespaces)
        guard !number.isEmpty, number.count <= 40 else {
            throw UserFacingError.rule("checkin_identity", field: "volunteer", value: String(number.prefix(40)))
        }
        do {
            let attempt: Int64 = try await db.transaction { tx in
                try tx.query("""
                    SELECT vl_self_checkin_attempt(\(activity), \(number), \(phoneLast4), \(code), \(action.rawValue),
                                                   \(clientAddress)::inet, \(at))
                    """).single().decode(0)
            }
            return try await LedgerRetry.transaction(db) { tx in
                let row = try tx.query("""
                    SELECT checkin_id, action, at, entry_id, minutes, approved FROM vl_self_checkin_complete(\(attempt))
                    """).single()
                return Recorded(checkinID: try row.decode(0), action: action, at: try row.decode(2),
                                entryID: try row.decode(3), minutes: try row.decode(4), approved: try row.decode(5))
            }
        } catch let error as PostgresError where error.sqlState == .invalidTextRepresentation {
            throw UserFacingError.rule("checkin_client_address", field: "client_address", value: clientAddress.map { String($0.prefix(60)) })
        } catch {
            throw CheckinErrors.translate(error)
        }
    }
}
