import Foundation
import QRCode
import Testing
import VLedgerCore

/// The project's own QR encoder, read back by a real reader (zbarimg, Debian's zbar-tools).
struct QRCodeTests {
    /// Decodes a PNG with zbarimg: the payload of every symbol found, as raw bytes.
    static func decode(_ png: [UInt8]) throws -> [UInt8] {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("vledger-qr-\(UUID().uuidString).png")
        try Data(png).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["zbarimg", "--quiet", "--raw", "-Sbinary", "-Sqrcode.enable", file.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "zbarimg found no symbol")
        return Array(data)
    }

    static func payload(_ length: Int, seed: Int) -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./?=&:")
        return String((0..<length).map { alphabet[($0 * 31 + seed * 7 + $0 * $0) % alphabet.count] })
    }

    @Test func aCheckInAddressWithItsCodeReadsBack() throws {
        let url = "https://vledger.example.cn/checkin/42?action=in&code=073915"
        let code = try QRCode(text: url)
        #expect(try Self.decode(code.png()) == Array(url.utf8))
    }

    /// Lengths that reach every version from 1 to 13 (both sides of the 8/16-bit count at 10),
    /// each decoded back exactly.
    @Test(arguments: [0, 1, 13, 14, 15, 26, 27, 42, 43, 62, 63, 84, 85, 106, 107, 122, 123, 152, 153, 180, 181, 213, 214, 251, 252, 287, 288, 331, 362])
    func payloadsOfEveryLengthReadBack(length: Int) throws {
        guard length > 0 else {
            #expect(try QRCode(text: "").version == 1)
            return
        }
        let text = Self.payload(length, seed: length)
        let code = try QRCode(text: text)
        #expect(try Self.decode(code.png(scale: 4)) == Array(text.utf8), "version \(code.version), mask \(code.mask)")
    }

    @Test func versionsAreTheSmallestThatFit() throws {
        // Byte-mode capacities at level M (ISO/IEC 18004 table 7).
        let capacities = [14, 26, 42, 62, 84, 106, 122, 152, 180, 213]
        for (index, capacity) in capacities.enumerated() {
            #expect(try QRCode(text: String(repeating: "a", count: capacity)).version == index + 1)
            #expect(try QRCode(text: String(repeating: "a", count: capacity + 1)).version == index + 2)
        }
        #expect(throws: QRCode.EncodingError.tooLong(bytes: 2332, maximum: 2331)) {
            try QRCode(bytes: Array(repeating: 0x41, count: 2332))
        }
    }

    @Test(arguments: 0..<8)
    func everyMaskIsChosenSomewhereAndReadsBack(seed: Int) throws {
        var masks: Set<Int> = []
        for length in stride(from: 20 + seed, through: 200, by: 9) {
            let text = Self.payload(length, seed: seed)
            let code = try QRCode(text: text)
            masks.insert(code.mask)
            #expect(try Self.decode(code.png(scale: 3)) == Array(text.utf8))
        }
        #expect(!masks.isEmpty)
    }

    @Test func chineseTextAndBinaryBytesReadBack() throws {
        let text = "志愿者签到：光明社区 第3场"
        #expect(try Self.decode(try QRCode(text: text).png()) == Array(text.utf8))
        let larger = try QRCode(text: "x", minimumVersion: 7)
        #expect(larger.version == 7)
        #expect(try Self.decode(larger.png(scale: 3)) == Array("x".utf8))
    }

    @Test func theSVGAndTheTerminalTextDrawTheSameModules() throws {
        let code = try QRCode(text: "VL00000001")
        let svg = code.svg()
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 29 29\""))
        let darkCount = (0..<code.size).reduce(0) { sum, y in sum + (0..<code.size).filter { code[$0, y] }.count }
        #expect(svg.components(separatedBy: "h1v1h-1z").count - 1 == darkCount)
        let lines = code.terminalText().split(separator: "\n")
        #expect(lines.count == (code.size + 4 + 1) / 2)
        #expect(lines.allSatisfy { $0.count == code.size + 4 })
        // Light modules are drawn: the quiet zone is full blocks, and the finder's rows 0 and 1
        // (dark edge; dark, light ×5, dark) are blank above and lower halves below.
        #expect(lines[0].allSatisfy { $0 == "█" })
        #expect(lines[1].dropFirst(2).prefix(7) == " ▄▄▄▄▄ ")
        #expect(code.terminalText(darkOnLight: true).split(separator: "\n")[1].dropFirst(2).prefix(7) == "█▀▀▀▀▀█")
    }

    @Test func pngChecksumsAreThoseOfTheStandards() {
        #expect(CRC32.checksum(Array("IEND".utf8)) == 0xAE42_6082)
        #expect(Adler32.checksum(Array("Wikipedia".utf8)) == 0x11E6_0398)
        // Past the 5,552 bytes after which the sums are reduced.
        let long = [UInt8](repeating: 0xFF, count: 100_000)
        var (a, b): (UInt32, UInt32) = (1, 0)
        for byte in long { a = (a + UInt32(byte)) % 65521; b = (b + a) % 65521 }
        #expect(Adler32.checksum(long) == b << 16 | a)
    }
}
