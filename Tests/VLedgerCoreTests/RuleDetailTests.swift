import Foundation
import PostgresLibPQ
import Testing
import VLedgerCore
import VLedgerTestSupport

/// The database's rules raise with a JSON DETAIL (migration 0120): what the HTTP service's
/// `{code, field, message}` and the CLI's line are made from.
@Suite struct RuleDetailTests {
    static func refusal(_ db: isolated Connection, _ sql: SQL) -> PostgresError? {
        do {
            try db.execute(sql)
            return nil
        } catch let error as PostgresError {
            return error
        } catch {
            return nil
        }
    }

    @Test func aRuleOfThePlainSQLPathRaisesItsCodeFieldValueAndArguments() async throws {
        try await RegistryTestDatabase.withDatabase { db in
            let refused = Self.refusal(db, "UPDATE setting SET value = 'abc' WHERE name = 'minimum_age'")
            let error = try #require(refused)
            #expect(error.sqlState == .checkViolation)
            #expect(error.constraint == "setting_minimum_age_valid")
            #expect(error.column == "minimum_age")
            #expect(error.detail == #"{"args": {}, "field": "minimum_age", "value": "abc"}"#)
            #expect(RuleDetail(parsing: error.detail) == RuleDetail(field: "minimum_age", value: "abc"))
            let facing = UserMessage.userFacing(for: error)
            #expect(facing.message(in: .zh).hasSuffix("「abc」：必须是 1 到 100 的整数（周岁）"))
            #expect(facing.message(in: .en) == #"minimum_age "abc": must be a whole number of years from 1 to 100"#)
        }
    }

    @Test func historyAndLedgerRefusalsHaveCodesAndChinese() async throws {
        try await RegistryTestDatabase.withDatabase { db in
            try db.execute("INSERT INTO district (code, name) VALUES ('210682001', '凤凰城街道')")
            try db.execute("""
                INSERT INTO volunteer (name, id_number, phone, registered_on) VALUES ('老王', '11010519491231002X', '13800000000', '2019-01-01')
                """)
            try db.execute("""
                INSERT INTO volunteer_district (volunteer_id, district_code, effective_from) SELECT id, '210682001', '2019-01-01' FROM volunteer
                """)
            let refusals = [(Self.refusal(db, "DELETE FROM volunteer_district"), "volunteer_district_history_fixed"),
                            (Self.refusal(db, "TRUNCATE hours_decision"), "hours_ledger_append_only"),
                            (Self.refusal(db, "TRUNCATE statement_issue"), "statement_issue_immutable"),
                            (Self.refusal(db, "UPDATE setting SET value = 'x' WHERE name = 'id_lookup_misses_per_hour'"),
                             "setting_id_lookup_misses_per_hour_valid")]
            for (error, code) in refusals {
                let refused = try #require(error)
                #expect(refused.constraint == code)
                let facing = UserMessage.userFacing(for: refused)
                #expect(facing.code == code)
                let zh = facing.message(in: .zh)
                #expect(untranslatedEnglish(zh).isEmpty, "\(zh)")
            }
        }
    }

    @Test func aDetailThatIsNotARulesNeverReachesThePerson() {
        let error = PostgresError(kind: .server, sqlState: .uniqueViolation, message: "duplicate key value violates unique constraint",
                                  detail: "Key (id_number)=(11010519491231002X) already exists.", constraint: "volunteer_id_number_unique")
        for language in Language.allCases {
            #expect(!UserMessage.line(for: error).contains("11010519491231002X"))
            #expect(!UserMessage.userFacing(for: error).message(in: language).contains("11010519491231002X"))
        }
        #expect(RuleDetail(parsing: error.detail) == nil)
        #expect(RuleDetail(parsing: #"{"field": "x", "args": {"n": 3}}"#) == nil, "arguments are strings")
        #expect(RuleDetail.arguments(#"{"n": "3"}"#) == ["n": "3"])
    }
}

extension RuleDetailTests {
    /// A refusal that is not about one value (0121, `vl_refuse`): the message as before for psql,
    /// a code and arguments for the catalog, and no field.
    @Test func aPermissionRefusalHasACodeAndChinese() async throws {
        try await RegistryTestDatabase.withDatabase { db in
            let refused = Self.refusal(db, "SELECT vl_check_activity_owner(424242, 'nobody')")
            let error = try #require(refused)
            #expect(error.sqlState == .insufficientPrivilege)
            #expect(error.constraint == "activity_owner_only")
            #expect(error.message == "activity 424242 is not yours: only its owner adds or removes organisers")
            #expect(RuleDetail(parsing: error.detail) == RuleDetail(field: nil, args: ["activity": "424242"]))
            let facing = UserMessage.userFacing(for: error)
            #expect(facing.category == .forbidden && facing.code == "activity_owner_only" && facing.field == nil)
            #expect(facing.message(in: .en) == error.message)
            #expect(facing.message(in: .zh).contains("424242"))
            #expect(untranslatedEnglish(facing.message(in: .zh)).isEmpty, "\(facing.message(in: .zh))")
        }
    }
}

extension RuleDetailTests {
    /// The ID-number lookup limit (0122) names the limit and the refused count in both languages.
    @Test func theLookupLimitNamesItsNumbersInChinese() async throws {
        try await RegistryTestDatabase.withDatabase { db in
            let refused = Self.refusal(db, "SELECT vl_id_lookup_refuse('alice', 3, 7)")
            let error = try #require(refused)
            #expect(error.constraint == "id_lookup_limited" && error.sqlState == .checkViolation)
            #expect(error.message.hasPrefix("vledger: lookups by ID number refused for alice"))
            let facing = UserMessage.userFacing(for: error)
            #expect(facing.args["limit"] == "7" && facing.args["refused"] == "3" && facing.args["login"] == "alice")
            let zh = facing.message(in: .zh)
            #expect(zh.contains("7") && zh.contains("3"), "\(zh)")
            #expect(untranslatedEnglish(zh).isEmpty, "\(zh)")
            let user = Self.refusal(db, "SELECT vl_user_add('Upper', 'office', NULL, NULL)")
            #expect(RuleDetail(parsing: user?.detail) == RuleDetail(field: "login", value: "Upper"))
            #expect(user?.message == #"vledger: login "Upper": must be lower-case letters, digits and _ (not starting with a digit), at most 63"#)
        }
    }
}
