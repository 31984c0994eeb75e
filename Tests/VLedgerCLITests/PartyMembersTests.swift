import Foundation
import PostgresLibPQ
import Testing
import VLedgerCore
import VLedgerTestSupport

/// Issue 15, party members (0152): dated, append-only, replayable; written by the staff of the
/// volunteer's district, never read by organisers.
struct PartyMembersTests {
    @Test func statusOnADayAsRecordedAtAMoment() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let volunteer = try await LedgerFixtures.volunteer(db, registeredOn: "2018-01-01")
            // Loaded with their original record times (the owner's historic load): a member from
            // 2019-03-01 as recorded on 2019-03-02, corrected on 2019-08-01 to a member from 2019-05-01.
            try await db.execute("""
                INSERT INTO volunteer_party_status (volunteer_id, party_member, effective_on, recorded_at) VALUES
                    (\(volunteer.id), true, '2019-03-01', '2019-03-02 10:00+08'),
                    (\(volunteer.id), false, '2019-03-01', '2019-08-01 10:00+08'),
                    (\(volunteer.id), true, '2019-05-01', '2019-08-01 10:00+08'),
                    (\(volunteer.id), false, '2021-01-01', '2021-01-02 10:00+08')
                """)
            func on(_ day: String, _ moment: String?) async throws -> Bool {
                try await db.query("SELECT vl_party_member_on(\(volunteer.id), \(day)::date, \(moment)::timestamptz)").single().decode(0)
            }
            #expect(try await on("2019-02-28", nil) == false)
            #expect(try await on("2019-04-01", nil) == false, "corrected")
            #expect(try await on("2019-04-01", "2019-07-01 00:00+08") == true, "as it stood before the correction")
            #expect(try await on("2019-06-01", nil) == true)
            #expect(try await on("2019-06-01", "2019-07-01 00:00+08") == true)
            #expect(try await on("2020-12-31", nil) == true)
            #expect(try await on("2021-06-01", nil) == false)
            #expect(try await on("2021-06-01", "2020-06-01 00:00+08") == true)

            // Bad input: nothing written.
            func refused(_ sql: SQL) async -> PostgresError? {
                do { try await db.execute(sql); return nil } catch let error as PostgresError { return error } catch { return nil }
            }
            let early = await refused("INSERT INTO volunteer_party_status (volunteer_id, party_member, effective_on) VALUES (\(volunteer.id), true, '2017-12-31')")
            #expect(early?.constraint == "volunteer_party_status_registered")
            #expect(early.map { UserMessage.userFacing(for: $0).field } == "on")
            let future = await refused("INSERT INTO volunteer_party_status (volunteer_id, party_member, effective_on) VALUES (\(volunteer.id), true, '2999-01-01')")
            #expect(future?.constraint == "volunteer_party_status_not_future")
            #expect(await refused("UPDATE volunteer_party_status SET party_member = true")?.constraint == "volunteer_party_status_history_fixed")
            #expect(await refused("DELETE FROM volunteer_party_status")?.constraint == "volunteer_party_status_history_fixed")
            #expect(try await db.query("SELECT count(*) FROM volunteer_party_status").single().decode(0, as: Int.self) == 4)
            await db.close()
        }
    }

    @Test func staffOfTheDistrictRecordAndOrganisersNeverRead() async throws {
        try await TestDatabase.with { database in
            try await TestLogins.with(database) { logins in
                let owner = try await database.connect()
                try await LedgerFixtures.district(owner, code: "210682002", name: "汤山城街道")
                let mine = try await LedgerFixtures.volunteer(owner, registeredOn: "2019-01-01")
                let theirs = try await LedgerFixtures.volunteer(owner, registeredOn: "2019-01-01", district: "210682002", name: "李四")
                await owner.close()
                let staffLogin = try await logins.login("staff", district: "210682001")
                let staff = try await logins.connect(as: staffLogin)
                let organiser = try await logins.connect(as: try await logins.login("organiser"))
                let office = try await logins.connect(as: try await logins.login("office"))
                func attempt(_ conn: Connection, _ sql: SQL) async -> PostgresError? {
                    do { try await conn.execute(sql); return nil } catch let error as PostgresError { return error } catch { return nil }
                }
                func record(_ volunteer: Int64) -> SQL {
                    "INSERT INTO volunteer_party_status (volunteer_id, party_member, effective_on) VALUES (\(volunteer), true, '2019-07-01')"
                }
                #expect(await attempt(staff, record(theirs.id))?.sqlState == .insufficientPrivilege)
                #expect(await attempt(office, record(mine.id))?.sqlState == .insufficientPrivilege)
                #expect(await attempt(organiser, record(mine.id))?.sqlState == .insufficientPrivilege)
                #expect(await attempt(staff, "INSERT INTO volunteer_party_status (volunteer_id, party_member, effective_on, recorded_by) VALUES (\(mine.id), true, '2019-07-01', 'someone')")?.sqlState
                        == .insufficientPrivilege)
                #expect(await attempt(staff, record(mine.id)) == nil)
                #expect(await attempt(organiser, "SELECT * FROM volunteer_party_status")?.sqlState == .insufficientPrivilege)
                #expect(try await office.query("SELECT recorded_by FROM volunteer_party_status").single().decode(0, as: String.self) == staffLogin)
                for conn in [staff, organiser, office] { await conn.close() }

                // Through the binary, as the staff member.
                let url = try await logins.connectionString(as: staffLogin)
                let zh = try await CLIRunner.run(["--lang", "zh", "party", "record", mine.number, "--status", "党员?", "--on", "2019-08-01"],
                                                 database: nil, environment: ["VLEDGER_DATABASE_URL": url])
                #expect(zh.status != 0 && zh.stderr.contains("状态(status)「党员?」：须为 member（党员）或 not_member（非党员）"), "\(zh.stderr)")
                let ok = try await CLIRunner.run(["party", "record", mine.number, "--status", "非党员", "--on", "2019-08-01"],
                                                 database: nil, environment: ["VLEDGER_DATABASE_URL": url])
                #expect(ok.status == 0, "\(ok.stderr)")
                let shown = try await CLIRunner.run(["party", "show", mine.number, "--format", "csv"], database: nil, environment: ["VLEDGER_DATABASE_URL": url])
                #expect(shown.stdout == "number,party_member,effective_on,recorded_by\n\(mine.number),true,2019-07-01,\(staffLogin)\n\(mine.number),false,2019-08-01,\(staffLogin)\n",
                        "\(shown.stdout)\(shown.stderr)")
            }
        }
    }
}
