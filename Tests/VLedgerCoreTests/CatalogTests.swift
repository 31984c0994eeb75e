import Foundation
import PostgresLibPQ
import Testing
import VLedgerCore

/// The message catalogs (issue 12, sections 1 and 2): every key in both languages, the same
/// arguments, and the rendering of codes with their arguments.
struct CatalogTests {
    /// The byte-level readers of long reports give what the general ones give.
    @Test func placeholdersAndStoredArgumentsReadAsTheGeneralWay() {
        #expect(Catalog.fill("志愿者 {volunteer} 在 {on} 已有", ["volunteer": "VL1", "on": "2019-05-01"]) == "志愿者 VL1 在 2019-05-01 已有")
        #expect(Catalog.fill("{a}{b}", ["a": "1"]) == "1")
        #expect(Catalog.fill("keep {not a name} and {}", [:]) == "keep {not a name} and {}")
        #expect(Catalog.fill("unclosed {a and {b}", ["b": "2"]) == "unclosed {a and {b}")
        #expect(Catalog.fill("{区划}：{n_1}", ["区划": "甲", "n_1": "3"]) == "甲：3", "a name of Chinese letters is a name")
        #expect(Catalog.fill("[（{district}）]x", [:]) == "x")
        #expect(Catalog.placeholders("{a} {b_2} {c d} {区划}") == ["a", "b_2", "区划"])
        for json in [#"{}"#, #"{"a": "x"}"#, #"{"day": "2025-06-01", "minutes": "720", "名": "凤凰城"}"#, #"{"a": "x \"q\"", "b": "\u4e2d"}"#,
                     #"{"a": 1}"#, #"{"a": {"b": "c"}}"#, #"{"a": "x",}"#, #"[]"#, "not json"] {
            let general = (try? JSONDecoder().decode([String: String].self, from: Data(json.utf8))) ?? [:]
            #expect(RuleDetail.arguments(json) == general, "\(json)")
        }
        #expect(RuleDetail.arguments(#"{"a": "x", "b": "y"}"#) == ["a": "x", "b": "y"])
    }

    @Test func everyKeyExistsInBothLanguages() {
        let en = Set(Catalog.en.keys)
        let zh = Set(Catalog.zh.keys)
        #expect(en.subtracting(zh).sorted() == [], "keys without Chinese")
        #expect(zh.subtracting(en).sorted() == [], "keys without English")
        #expect(Catalog.keysInMoreThanOnePart(.zh) == [])
        #expect(Catalog.keysInMoreThanOnePart(.en) == [])
    }

    /// A Chinese text may leave out an argument, never use one the English does not have.
    @Test func chineseTextsUseOnlyTheArgumentsOfTheEnglish() {
        for (key, english) in Catalog.en {
            guard let chinese = Catalog.zh[key] else { continue }
            let allowed = Catalog.placeholders(english).union(["field", "value"])
            let extra = Catalog.placeholders(chinese).subtracting(allowed)
            #expect(extra.isEmpty, "\(key): \(extra.sorted())")
        }
    }

    @Test func chineseHelpIsChinese() {
        for (key, text) in Catalog.zh where key.hasPrefix("help.") && key.hasSuffix(".abstract") {
            #expect(text.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }, "\(key): \(text)")
        }
    }

    @Test func aRuleRendersByCodeWithItsArguments() {
        let violation = RuleViolation(field: "phone", value: "138****0000", code: "volunteer_phone_format", line: 3)
        #expect(violation.message(in: .en) == "line 3: phone \"138****0000\": must be an 11-digit mainland mobile number")
        #expect(violation.message(in: .zh) == "第 3 行：手机号(phone)「138****0000」：必须是 11 位中国大陆手机号")
        let range = RuleViolation(field: "years", value: "11", code: "range", args: ["min": "1", "max": "10"])
        #expect(range.message(in: .en) == "years \"11\": must be from 1 to 10")
        #expect(range.message(in: .zh) == "年数(years)「11」：必须在 1 到 10 之间")
        #expect(range.userFacing.code == "range")
        #expect(range.userFacing.category.httpStatus == 422)
    }

    /// Made by the English text (older call sites, tests): equal to the same refusal made by code.
    @Test func theSameRefusalIsEqualWhicheverWayItWasMade() {
        #expect(RuleViolation(field: "scope", value: "city", rule: "must be built_up or all")
                == RuleViolation(field: "scope", value: "city", code: "scope"))
    }

    /// A rule given only by its English text keeps it in every language; `description` is English.
    @Test func aRuleWithoutCodeKeepsItsText() {
        let violation = RuleViolation(field: "row", value: nil, rule: "has 3 fields but the header has 2", line: 2)
        #expect(violation.message(in: .zh) == "第 2 行：行(row)：has 3 fields but the header has 2")
        #expect(violation.description == "line 2: row: has 3 fields but the header has 2")
        let coded = RuleViolation(field: "phone", value: "***", code: "volunteer_phone_format")
        #expect(coded.description == "phone \"***\": must be an 11-digit mainland mobile number")
    }

    /// Values are quoted, bounded and escaped in both languages, and the final line is terminal-safe.
    @Test func valuesAreBoundedAndEscapedInBothLanguages() {
        let long = String(repeating: "长", count: 70) + "\u{1B}[31m"
        let violation = RuleViolation(field: "organiser", value: "a\u{1B}[2J\u{202E}b", code: "activity_organiser_length")
        #expect(violation.description == "organiser \"a\\u{1b}[2J\\u{202e}b\": must be at most 100 characters")
        #expect(violation.message(in: .zh).contains("「a\\u{1b}[2J\\u{202e}b」"), "\(violation.message(in: .zh))")
        let cut = RuleViolation(field: "name", value: long, code: "name_too_long")
        #expect(cut.description.contains("… (75 characters)"), "\(cut.description)")
        #expect(cut.message(in: .zh).contains("…（共 75 个字符）"), "\(cut.message(in: .zh))")
        for language in [Language.zh, .en] {
            let line = UserMessage.lineIfOurs(cut, in: language) ?? ""
            #expect(!line.unicodeScalars.contains { $0.value == 0x1B }, "\(line)")
        }
    }

    @Test func aPartLeftOutWhenItsArgumentIsMissing() {
        #expect(Catalog.fill("未达到最低注册年龄[ {minimum} 周岁]", [:]) == "未达到最低注册年龄")
        #expect(Catalog.fill("未达到最低注册年龄[ {minimum} 周岁]", ["minimum": "14"]) == "未达到最低注册年龄 14 周岁")
        #expect(Catalog.fill("[literal] {a}", ["a": "x"]) == "[literal] x")
    }

    @Test func languageFromOptionThenEnvironmentThenFallback() throws {
        let option = try LanguageChoice.resolve(arguments: ["volunteer", "--lang", "en", "list"], environment: ["LANG": "zh_CN.UTF-8"])
        #expect(option == .init(arguments: ["volunteer", "list"], language: .en, source: .option))
        let equals = try LanguageChoice.resolve(arguments: ["--lang=zh", "--help"], environment: ["LC_ALL": "en_US.UTF-8"])
        #expect(equals.language == .zh && equals.arguments == ["--help"])
        let afterTerminator = try LanguageChoice.resolve(arguments: ["x", "--", "--lang", "en"], environment: [:])
        #expect(afterTerminator.arguments == ["x", "--", "--lang", "en"] && afterTerminator.source == .fallback)
        #expect(try LanguageChoice.resolve(arguments: [], environment: ["LC_ALL": "en_GB.UTF-8", "LANG": "zh_CN.UTF-8"]).language == .en)
        #expect(try LanguageChoice.resolve(arguments: [], environment: ["LC_MESSAGES": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"]).language == .zh)
        // C or another language: the deployment's setting decides (zh until it is read).
        #expect(try LanguageChoice.resolve(arguments: [], environment: ["LANG": "C.UTF-8"]).source == .fallback)
        #expect(try LanguageChoice.resolve(arguments: [], environment: ["LC_ALL": "fr_FR.UTF-8", "LANG": "en_US"]).source == .fallback)
        #expect(throws: LanguageChoice.InvalidLanguage(value: "fr")) {
            try LanguageChoice.resolve(arguments: ["--lang", "fr"], environment: [:])
        }
    }

    @Test func databaseErrorsAreMatchedByStateAndRule() {
        func raise(_ error: PostgresError) throws { throw error }
        let error = PostgresError(kind: .server, sqlState: .uniqueViolation, message: "duplicate", constraint: "volunteer_id_number_unique")
        var matched = ""
        do { try raise(error) } catch SQLState.checkViolation { matched = "check" } catch SQLState.uniqueViolation.on("other") {
            matched = "other"
        } catch DatabaseRule("volunteer_id_number_unique") { matched = "rule" } catch { matched = "none" }
        #expect(matched == "rule")
        do { try raise(error) } catch SQLState.uniqueViolation { matched = "state" } catch { matched = "none" }
        #expect(matched == "state")
    }

    @Test func aDatabaseRuleKeepsItsEnglishAndHasItsChinese() {
        let error = PostgresError(kind: .server, sqlState: .checkViolation,
                                  message: "vledger: start \"2019-05-01T09:00:00+08:00\": volunteer VL00000001 already has entry 7 from 2019-05-01T08:30:00+08:00 for 60 minutes",
                                  constraint: "hours_no_overlap")
        let facing = UserMessage.userFacing(for: error)
        #expect(facing.code == "hours_no_overlap" && facing.field == "start" && facing.value == "2019-05-01T09:00:00+08:00")
        #expect(facing.message(in: .en) == "start \"2019-05-01T09:00:00+08:00\": volunteer VL00000001 already has entry 7 from 2019-05-01T08:30:00+08:00 for 60 minutes")
        #expect(facing.message(in: .zh) == "开始时间(start)「2019-05-01T09:00:00+08:00」：与该志愿者已记录的服务时段重叠")
    }

    @Test func tablesTranslateHeadersAndWordsNotData() {
        var table = TextTable(header: ["code", "name", "built_up"])
        table.append(["110101", "yes", "yes"])
        let zh = table.rendered(in: .zh)
        #expect(zh.hasPrefix("代码"))
        #expect(zh.contains("是"))
        #expect(table.rendered(in: .en).hasPrefix("code    name  built_up"))
    }
}
