import Foundation
import Testing
@testable import VLedgerCore

struct CSVFileTests {
    @Test func quotesCommasDoubledQuotesAndLineBreaksInFields() throws {
        let text = "name,note\r\n\"王, 芳\",\"said \"\"hi\"\"\"\r\n\"two\nlines\",x\r\nlast,\"\"\r\n"
        let document = try CSVFile.parse(text: text, source: "t.csv")
        #expect(document.header == ["name", "note"])
        #expect(document.records.map(\.values) == [["王, 芳", "said \"hi\""], ["two\nlines", "x"], ["last", ""]])
        // Physical lines: the record after a two-line field starts on line 5.
        #expect(document.records.map(\.line) == [2, 3, 5])
    }

    @Test func lineFeedOnlyNoFinalNewlineAndBlankLinesSkipped() throws {
        let document = try CSVFile.parse(text: "a,b\n1,2\n\n,\n3,4", source: "t.csv")
        #expect(document.records.map(\.values) == [["1", "2"], ["3", "4"]])
        #expect(document.records.map(\.line) == [2, 5])
    }

    @Test func trailingEmptyFieldIsKept() throws {
        let document = try CSVFile.parse(text: "a,b,c\n1,2,\n", source: "t.csv")
        #expect(document.records.first?.values == ["1", "2", ""])
        #expect(document.shapeProblem(document.records[0]) == nil)
    }

    @Test func columnsAreFoundByNameInAnyOrder() throws {
        let document = try CSVFile.parse(text: " Phone ,NAME\n138,张三\n", source: "t.csv")
        try document.requireColumns(["name", "phone"])
        #expect(document.value(document.records[0], "name") == "张三")
        #expect(document.value(document.records[0], "phone") == "138")
        #expect(document.rows.first?.fields["NAME"] == "张三")
        let error = #expect(throws: RuleViolation.self) { try document.requireColumns(["name", "phone", "district_code", "registered_on"]) }
        #expect(error?.description == "line 1: header \"Phone,NAME\": missing columns district_code, registered_on (expected name,phone,district_code,registered_on)")
    }

    @Test func wrongFieldCountIsAShapeProblemWithItsLine() throws {
        let document = try CSVFile.parse(text: "a,b\n1,2,3\n", source: "t.csv")
        #expect(document.shapeProblem(document.records[0])?.description == "line 2: row: has 3 fields but the header has 2")
    }

    @Test func unclosedQuoteNamesTheLineItOpenedOn() {
        let error = #expect(throws: RuleViolation.self) { try CSVFile.parse(text: "a,b\n1,2\n\"x,3\n4,5\n", source: "t.csv") }
        #expect(error?.line == 3)
    }

    @Test func byteOrderMarkIsDetectedAndDropped() throws {
        let document = try CSVFile.parse(bytes: [0xEF, 0xBB, 0xBF] + Array("name,phone\n张三,1\n".utf8), source: "t.csv")
        #expect(document.encoding == .utf8BOM)
        #expect(document.header == ["name", "phone"])
        #expect(document.records[0].values == ["张三", "1"])
    }

    @Test func gb18030IsDetectedForChineseExcelFiles() throws {
        let text = "name,district\r\n张三,凤凰城街道\r\n欧阳娜娜,元宝区\r\n"
        let bytes = try #require(TextDecoding.gb18030(text))
        #expect(TextDecoding.validUTF8(bytes[...]) == nil, "GB18030 bytes of Chinese text are not UTF-8")
        #expect(TextDecoding.validUTF8(Array(text.utf8)[...]) == text)
        let document = try CSVFile.parse(bytes: bytes, source: "t.csv")
        #expect(document.encoding == .gb18030)
        #expect(document.records.map(\.values) == [["张三", "凤凰城街道"], ["欧阳娜娜", "元宝区"]])
    }

    @Test func utf16IsRefusedWithAHint() {
        let error = #expect(throws: UserFacingError.self) { try CSVFile.parse(bytes: [0xFF, 0xFE, 0x61, 0x00], source: "t.csv") }
        #expect(error?.description == "t.csv: is UTF-16 (Excel \"Unicode text\"); save it from Excel as \"CSV UTF-8\" instead")
    }

    @Test func plainUTF8IsUTF8() throws {
        let document = try CSVFile.parse(bytes: Array("a\n王\n".utf8), source: "t.csv")
        #expect(document.encoding == .utf8)
    }

    @Test func readsFromDisk() throws {
        let url = try RegistryFixture.temporaryFile("x.csv", bytes: Array("a,b\n1,2\n".utf8))
        #expect(try CSVFile.read(url).records.count == 1)
        #expect(throws: VLedgerError.self) { try CSVFile.read(url.appendingPathExtension("missing")) }
    }
}
