import Foundation
import Testing
@testable import VLedgerCore
import VLedgerTestSupport

/// Reading an uploaded xlsx workbook (issue 13's import upload), without a database.
struct XLSXReaderTests {
    @Test func theProjectsOwnWorkbookReadsBackAsItsRows() throws {
        let sheet = Sheet(name: "名单", header: ["姓名", "身份证号", "手机号", "所属区划", "注册日期"], rows: [
            [.text("张三"), .text("210682199001010014"), .text("13800001111"), .text("210682001"), .text("2020-01-02")],
            [.text("李四 & <王>"), .empty, .number("13800002222"), .text("210682001"), .bool(true)],
        ])
        let document = try SpreadsheetUpload.document(Workbook(sheets: [sheet]).data(), source: "own.xlsx", aliases: HeaderAliases.volunteers)
        try document.requireColumns(VolunteerImport.requiredColumns)
        #expect(document.records.map(\.line) == [2, 3])
        #expect(document.value(document.records[0], "id_number") == "210682199001010014")
        #expect(document.value(document.records[1], "name") == "李四 & <王>")
        #expect(document.value(document.records[1], "id_number") == "", "an empty cell keeps its column")
        #expect(document.value(document.records[1], "phone") == "13800002222")
    }

    @Test func aDeflatedWorkbookIsReadThroughItsRelationships() throws {
        let document = try SpreadsheetUpload.document(ImportFixtures.workbook, source: "book.xlsx", aliases: HeaderAliases.volunteers)
        try document.requireColumns(VolunteerImport.requiredColumns)
        #expect(document.records.map(\.line) == [2, 4], "row numbers as Excel shows them; the empty row 3 is no record")
        #expect(document.value(document.records[0], "registered_on") == "2020-01-02")
        #expect(document.value(document.records[0], "district_code") == "210682001", "a formula's cached value")
    }

    @Test func whatIsNotAWorkbookIsRefusedByName() {
        for bytes: [UInt8] in [[0x50, 0x4B, 0x03, 0x04], [0x50, 0x4B, 0x03, 0x04] + [UInt8](repeating: 0, count: 40)] {
            #expect(throws: RuleViolation(field: "file", value: nil, code: "xlsx_unreadable", args: ["file": "x.xlsx"])) {
                try SpreadsheetUpload.document(bytes, source: "x.xlsx", aliases: [:])
            }
        }
        // Deflate data that promises more than the limit, or breaks off, is corrupt, never a crash.
        #expect(throws: Inflate.Corrupt.self) { try Inflate.decompress([0x03], limit: 10) }
        #expect(throws: Inflate.Corrupt.self) { try Inflate.decompress([0x01, 0x05, 0x00, 0xFA, 0xFF, 0x41], limit: 10) }
    }

    @Test func serialDaysAreTheirDates() {
        #expect(SheetXML.date(1) == "1900-01-01" || SheetXML.date(1) == "1899-12-31")
        #expect(SheetXML.date(43832) == "2020-01-02")
        #expect(SheetXML.date(45658.75) == "2025-01-01")
        #expect(SheetXML.columnIndex("A1") == 0 && SheetXML.columnIndex("AB12") == 27)
    }
}
