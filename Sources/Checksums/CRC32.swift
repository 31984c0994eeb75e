/// CRC-32 (IEEE 802.3), as ZIP and PNG use it.
public enum CRC32 {
    static let table: [UInt32] = (0..<256).map { index -> UInt32 in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }

    public static func checksum(_ data: [UInt8]) -> UInt32 {
        update(0, data)
    }

    /// Continues `crc` (the checksum of the bytes before) over `data`: a PNG chunk's CRC covers
    /// its type and its data without joining them first.
    public static func update(_ crc: UInt32, _ data: [UInt8]) -> UInt32 {
        var value = crc ^ 0xFFFF_FFFF
        for byte in data { value = table[Int((value ^ UInt32(byte)) & 0xFF)] ^ (value >> 8) }
        return value ^ 0xFFFF_FFFF
    }
}
