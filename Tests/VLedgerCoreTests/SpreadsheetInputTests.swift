import Foundation
import PostgresLibPQ
import Testing
@testable import VLedgerCore

/// Files as Chinese Excel and WPS save them (issue 12 §3), and values in messages (§5), without a database.
struct SpreadsheetInputTests {
    // MARK: headers

    @Test func chineseHeadersNameTheColumns() throws {
        let document = try CSVFile.parse(
            text: "姓名,身份证号码,联系电话,所属区划,注册日期\r\n张伟,1,2,3,2025/4/6\r\n", source: "t.csv", aliases: HeaderAliases.volunteers)
        try document.requireColumns(VolunteerImport.requiredColumns)
        #expect(document.value(document.records[0], "name") == "张伟")
        #expect(document.value(document.records[0], "registered_on") == "2025/4/6")
        let hours = try CSVFile.parse(text: "志愿者编号,活动编号,开始时间,服务时长（分钟）\n", source: "h.csv", aliases: HeaderAliases.hours)
        try hours.requireColumns(["volunteer", "activity", "start", "minutes"])
    }

    @Test func aColumnGivenTwiceUnderTwoNamesIsRefused() throws {
        let document = try CSVFile.parse(text: "name,姓名,id_number,phone,district_code,registered_on\n", source: "t.csv", aliases: HeaderAliases.volunteers)
        #expect(throws: RuleViolation(field: "header", value: "name,姓名,id_number,phone,district_code,registered_on",
                                      rule: "column \"name\", \"姓名\" both give name; keep one", line: 1)) {
            try document.requireColumns(VolunteerImport.requiredColumns)
        }
    }

    @Test func trailingEmptyHeaderCellsAndEmptyColumnsNameNothing() throws {
        // WPS: a header with empty cells after the last column, and rows with as many commas.
        let document = try CSVFile.parse(text: "a,,b,,\n1,,2,,\n3,,4\n5,x,6,,\n7,,8,,9\n", source: "t.csv")
        try document.requireColumns(["a", "b"])
        #expect(document.shapeProblem(document.records[0]) == nil)
        #expect(document.shapeProblem(document.records[1]) == nil)
        #expect(document.shapeProblem(document.records[2])?.description == "line 4: row \"x\": is in column B, which has no name in the header")
        #expect(document.shapeProblem(document.records[3])?.description == "line 5: row: has 5 fields but the header has 3 named")
        #expect(document.value(document.records[0], "b") == "2")
    }

    // MARK: dates, times, offsets

    @Test(arguments: ["2025-04-06", "2025-4-6", "2025/4/6", "2025/04/06", "2025年4月6日", "２０２５年４月６日", " 2025.4.6 "])
    func datesAsExcelWritesThem(text: String) throws {
        #expect(try DateInput.parse(text, field: "d") == CalendarDate(year: 2025, month: 4, day: 6)!)
    }

    @Test(arguments: ["2025/2/29", "2025-4", "2025年4月", "25/4/6", "2025/4/6/1", "2025-04-06x"])
    func notDates(text: String) {
        #expect(throws: RuleViolation.self) { try DateInput.parse(text, field: "d") }
    }

    @Test func timesAsExcelWritesThem() throws {
        let nine = TimeInput.local(date: CalendarDate(year: 2025, month: 4, day: 6)!, hour: 9, minute: 0, second: 0)
        for text in ["2025/4/6 9:00", "2025-4-6 9:00:00", "2025年4月6日 9:00", "2025年4月6日9:00", "2025-04-06T09:00", "２０２５/４/６　９:００"] {
            #expect(try TimeInput.parse(text, field: "start") == nine, "\(text)")
        }
        let instant = try TimeInput.parse("2025/4/6 9:00+08:00", field: "start")
        #expect(instant == .instant(Date(postgresText: "2025-04-06 01:00:00+00")!))
        #expect(try TimeInput.parse("2025-04-06T01:00:00Z", field: "start") == instant)
        #expect(try TimeInput.parse("2025-04-06 14:00:00+1300", field: "start") == instant)
    }

    @Test(arguments: ["+25:00", "-14:01", "+1430", "+15"])
    func offsetsBeyondFourteenHoursAreRefused(offset: String) {
        let text = "2025-04-06T09:00:00" + offset
        #expect(throws: RuleViolation(field: "start", value: text,
                                      rule: "offset \(offset) is beyond ±14:00 (the time zones in use run from -12:00 to +14:00)")) {
            try TimeInput.parse(text, field: "start")
        }
        // The import's fast path sends them on to the parser that says why.
        #expect(HoursImport.quickTime(text) == nil)
    }

    @Test func fourteenHoursIsTheLastOffsetAccepted() throws {
        _ = try TimeInput.parse("2025-04-06T09:00:00+14:00", field: "start")
        _ = try TimeInput.parse("2025-04-06T09:00:00-12:00", field: "start")
        #expect(HoursImport.quickTime("2025-04-06T09:00:00+14:00") == false)
    }

    // MARK: full-width forms

    @Test func fullWidthDigitsLettersAndSpacesAreTheirASCII() throws {
        #expect(SpreadsheetText.halfwidth("２１０６８２１９９００１０１１２３ｘ") == "21068219900101123x")
        #expect(SpreadsheetText.halfwidth("１３８　１２３４　５６７８") == "138 1234 5678")
        #expect(SpreadsheetText.halfwidth("王（小）明") == "王(小)明")
        let id = "210682199001011236"
        let wide = String(String.UnicodeScalarView(id.unicodeScalars.map { Unicode.Scalar($0.value + 0xFEE0)! }))
        #expect(try IDNumber("　" + wide + "　").value == id)
        #expect(try Phone("１３８１２３４５６７８").value == "13812345678")
    }

    // MARK: encodings

    @Test func gb18030BytesThatAreAlsoValidUTF8AreNotGuessed() throws {
        // 谢伟 in GB18030 (D0 BB CE B0) is also UTF-8 (лΰ): the file reads both ways.
        let text = "name,note\n谢伟,叶英\n"
        let bytes = try #require(TextDecoding.gb18030(text))
        #expect(TextDecoding.validUTF8(bytes[...]) != nil)
        do {
            _ = try CSVFile.parse(bytes: bytes, source: "wps.csv")
            Issue.record("an ambiguous file was read")
        } catch let error as UserFacingError {
            #expect(error.description.contains("--encoding gb18030 or --encoding utf-8"))
            #expect(error.description.contains("谢伟"))
        }
        let read = try CSVFile.parse(bytes: bytes, source: "wps.csv", encoding: .gb18030)
        #expect(read.records[0].values == ["谢伟", "叶英"])
        #expect(read.encoding == .gb18030)
        let asUTF8 = try CSVFile.parse(bytes: bytes, source: "wps.csv", encoding: .utf8)
        #expect(asUTF8.records[0].values[0] != "谢伟")
    }

    @Test func chineseUTF8IsNotMistakenForGB18030() throws {
        let document = try CSVFile.parse(bytes: Array("姓名,备注\n王𠮷,阿依古丽·买买提\nJosé,Ünal\n".utf8), source: "t.csv")
        #expect(document.encoding == .utf8)
        #expect(document.records[0].values == ["王𠮷", "阿依古丽·买买提"])
    }

    @Test func aForcedEncodingThatDoesNotFitIsRefused() throws {
        #expect(throws: UserFacingError.self) { try CSVFile.parse(bytes: [0x61, 0xFF, 0x0A], source: "t.csv", encoding: .utf8) }
    }

    // MARK: values in messages

    @Test func messagesQuoteAtMostSixtyCharactersWithControlsEscaped() {
        let huge = String(repeating: "列", count: 2_000_000)
        let line = RuleViolation(field: "header", value: huge, rule: "missing column name", line: 1).description
        #expect(line == "line 1: header \"" + String(repeating: "列", count: 60) + "… (2000000 characters)\": missing column name")
        let escaped = RuleViolation(field: "name", value: "a\u{1B}[31mred\u{1B}[0m\nb\u{202E}", rule: "bad").description
        #expect(escaped == "name \"a\\u{1b}[31mred\\u{1b}[0m\\nb\\u{202e}\": bad")
        #expect(!escaped.unicodeScalars.contains { $0.value < 0x20 })
        #expect(UserMessage.terminalSafe("x\u{1B}]0;owned\u{07}y") == "x\\u{1b}]0;owned\\u{7}y")
    }

    // MARK: workbooks

    @Test func workbookIsAZipOfTheOfficeOpenXMLParts() throws {
        let sheet = Sheet(name: "年度指标", header: ["code", "registered", "share", "built_up"],
                          textRows: [["210682001", "12", "0.1305", "true"], ["", "-3", "", "false"]],
                          numericColumns: ["registered", "share", "built_up"])
        #expect(sheet.rows[0] == [.text("210682001"), .number("12"), .number("0.1305"), .bool(true)])
        #expect(sheet.rows[1] == [.empty, .number("-3"), .empty, .bool(false)])
        let bytes = Workbook(sheets: [sheet]).data()
        #expect(Array(bytes.prefix(4)) == [0x50, 0x4B, 0x03, 0x04])
        let text = String(decoding: bytes, as: UTF8.self)
        for part in ["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml",
                     "xl/sharedStrings.xml", "xl/worksheets/sheet1.xml", "name=\"年度指标\""] {
            #expect(text.contains(part), "\(part)")
        }
        #expect(Workbook.columnName(0) == "A" && Workbook.columnName(25) == "Z" && Workbook.columnName(26) == "AA")
        #expect(Workbook.escape("a<b&\u{1B}_x0041_") == "a&lt;b&amp;_x001B__x005F_x0041_")
        #expect(!Workbook.isPlainNumber("210682199001011237"))
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
    }

    @Test func excelCSVHasABOMAndCRLFBetweenRecordsOnly() {
        let bytes = ExcelCSV.bytes("a,b\n\"x\ny\",2\n")
        #expect(bytes == [0xEF, 0xBB, 0xBF] + Array("a,b\r\n\"x\ny\",2\r\n".utf8))
    }
}
