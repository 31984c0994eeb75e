import PostgresLibPQ

/// Valid, realistic registration spreadsheets for benchmarks and tests: Chinese names, ID
/// numbers with real birth dates and correct check digits (all different), mainland mobiles.
/// Deterministic for a seed, so a benchmark file can be made again exactly.
public struct VolunteerFileGenerator: Sendable {
    public var seed: UInt64
    public var districts: [String]
    /// Registration dates are spread over these years; everyone is an adult at registration.
    public var registrationYears: ClosedRange<Int>

    public init(seed: UInt64 = 2019, districts: [String], registrationYears: ClosedRange<Int> = 2015...2024) {
        self.seed = seed
        self.districts = districts
        self.registrationYears = registrationYears
    }

    static let surnames = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
    static let givenCharacters = Array("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华玉萍红梅鑫波斌宇浩凯秀云莉倩婷雪琳晶欣怡子涵梓轩雨萱博文思远佳宁一诺俊熙嘉懿晨阳志国建新海燕春晓东辉")

    public static let header = ["name", "id_number", "phone", "district_code", "registered_on"]

    /// Rows of `count` distinct volunteers, in header order.
    public func rows(count: Int) -> [[String]] {
        var random = Random(seed: seed)
        var seen = Set<String>()
        seen.reserveCapacity(count)
        var rows: [[String]] = []
        rows.reserveCapacity(count)
        let earliestBirth = CalendarDate(year: 1950, month: 1, day: 1)!.daysSinceEpoch
        let latestBirth = CalendarDate(year: registrationYears.lowerBound - 19, month: 12, day: 31)!.daysSinceEpoch
        let firstDay = CalendarDate(year: registrationYears.lowerBound, month: 1, day: 1)!.daysSinceEpoch
        let lastDay = CalendarDate(year: registrationYears.upperBound, month: 12, day: 31)!.daysSinceEpoch
        while rows.count < count {
            let district = districts[Int(random.next() % UInt64(districts.count))]
            let birth = CalendarDate(daysSinceEpoch: earliestBirth + Int(random.next() % UInt64(latestBirth - earliestBirth + 1)))
            let sequence = Int(random.next() % 1000)
            var body = String(district.prefix(6))
            body += pad(birth.year, 4) + pad(birth.month, 2) + pad(birth.day, 2) + pad(sequence, 3)
            let idNumber = body + String(IDNumber.checkCharacter(for: Array(body)))
            guard seen.insert(idNumber).inserted else { continue }
            let surname = Self.surnames[Int(random.next() % UInt64(Self.surnames.count))]
            var name = String(surname)
            for _ in 0..<(random.next() % 3 == 0 ? 1 : 2) {
                name.append(Self.givenCharacters[Int(random.next() % UInt64(Self.givenCharacters.count))])
            }
            let phone = "1" + String("3456789".randomElement(using: &random)!) + pad(Int(random.next() % 1_000_000_000), 9)
            let registered = CalendarDate(daysSinceEpoch: firstDay + Int(random.next() % UInt64(lastDay - firstDay + 1)))
            rows.append([name, idNumber, phone, district, registered.description])
        }
        return rows
    }

    /// The whole file as UTF-8 CSV text (CRLF line ends, as Excel writes them).
    public func csv(count: Int) -> String {
        var text = CSVWriter.line(Self.header) + "\r\n"
        for row in rows(count: count) { text += CSVWriter.line(row) + "\r\n" }
        return text
    }

    func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}

extension VolunteerFileGenerator {
    /// A small, fast, seedable generator (Steele, Lea & Flood's SplitMix64).
    struct Random: RandomNumberGenerator, Sendable {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }
}
