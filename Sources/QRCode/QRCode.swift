/// A QR code (ISO/IEC 18004) holding bytes in byte mode at error correction level M (about 15 %
/// of the symbol may be damaged), in the smallest version that fits, with the mask whose penalty
/// score is lowest. The project's own encoder: no library.
public struct QRCode: Sendable, Equatable {
    public enum EncodingError: Error, Equatable {
        /// More bytes than version 40 at level M holds (2,331).
        case tooLong(bytes: Int, maximum: Int)
    }

    public let version: Int
    public let mask: Int
    /// Modules per side.
    public let size: Int
    /// Row-major, true = dark.
    private let modules: [Bool]

    public subscript(x: Int, y: Int) -> Bool {
        x >= 0 && y >= 0 && x < size && y < size && modules[y * size + x]
    }

    public init(text: String, minimumVersion: Int = 1) throws {
        try self.init(bytes: Array(text.utf8), minimumVersion: minimumVersion)
    }

    public init(bytes: [UInt8], minimumVersion: Int = 1) throws {
        let first = max(QRTables.versions.lowerBound, min(minimumVersion, QRTables.versions.upperBound))
        guard let version = (first...QRTables.versions.upperBound).first(where: {
            4 + QRTables.countBits($0) + 8 * bytes.count <= QRTables.dataCodewords($0) * 8
        }) else {
            let top = QRTables.versions.upperBound
            throw EncodingError.tooLong(bytes: bytes.count, maximum: (QRTables.dataCodewords(top) * 8 - 4 - QRTables.countBits(top)) / 8)
        }
        var matrix = Matrix(version: version)
        matrix.drawFunctionPatterns()
        matrix.drawCodewords(Self.codewords(bytes, version: version))
        var best: (mask: Int, penalty: Int, matrix: Matrix)?
        for mask in 0..<8 {
            var candidate = matrix
            candidate.applyMask(mask)
            candidate.drawFormatBits(mask: mask)
            let penalty = candidate.penalty()
            if best == nil || penalty < best!.penalty { best = (mask, penalty, candidate) }
        }
        self.version = version
        self.mask = best!.mask
        self.size = matrix.size
        self.modules = best!.matrix.dark
    }

    /// The data codewords (mode, count, bytes, terminator, padding), split into blocks, each with
    /// its error correction, interleaved.
    static func codewords(_ bytes: [UInt8], version: Int) -> [UInt8] {
        let capacity = QRTables.dataCodewords(version) * 8
        var bits = BitBuffer()
        bits.append(0b0100, count: 4)
        bits.append(bytes.count, count: QRTables.countBits(version))
        for byte in bytes { bits.append(Int(byte), count: 8) }
        bits.append(0, count: min(4, capacity - bits.count))
        bits.append(0, count: (8 - bits.count % 8) % 8)
        var data = bits.bytes
        var pad: UInt8 = 0xEC
        while data.count * 8 < capacity {
            data.append(pad)
            pad ^= 0xEC ^ 0x11
        }

        let blockCount = QRTables.blocks[version]
        let eccLength = QRTables.eccPerBlock[version]
        let raw = QRTables.rawDataModules(version) / 8
        let shortBlocks = blockCount - raw % blockCount
        let shortLength = raw / blockCount
        let divisor = ReedSolomon.divisor(degree: eccLength)
        var blocks: [[UInt8]] = []
        var start = 0
        for i in 0..<blockCount {
            let length = shortLength - eccLength + (i < shortBlocks ? 0 : 1)
            let slice = data[start..<(start + length)]
            start += length
            var block = Array(slice)
            // A short block gets a placeholder where the long blocks have their last data byte,
            // so that all blocks interleave column by column.
            if i < shortBlocks { block.append(0) }
            block += ReedSolomon.remainder(slice, divisor: divisor)
            blocks.append(block)
        }
        var result: [UInt8] = []
        for column in 0..<blocks[0].count {
            for (j, block) in blocks.enumerated() where column != shortLength - eccLength || j >= shortBlocks {
                result.append(block[column])
            }
        }
        return result
    }
}

struct BitBuffer {
    private(set) var bits: [Bool] = []
    var count: Int { bits.count }

    mutating func append(_ value: Int, count: Int) {
        for i in stride(from: count - 1, through: 0, by: -1) { bits.append((value >> i) & 1 == 1) }
    }

    var bytes: [UInt8] {
        stride(from: 0, to: bits.count, by: 8).map { start in
            (0..<8).reduce(UInt8(0)) { byte, i in byte << 1 | (start + i < bits.count && bits[start + i] ? 1 : 0) }
        }
    }
}
