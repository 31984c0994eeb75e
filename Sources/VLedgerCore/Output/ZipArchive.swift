import Checksums

/// A ZIP archive of stored (uncompressed) entries, enough for an Office Open XML package:
/// Excel, WPS, LibreOffice and openpyxl all read stored entries. Written in memory, with a fixed
/// timestamp (1980-01-01) so the same data gives the same bytes.
public struct ZipArchive: Sendable {
    private struct Entry: Sendable {
        let name: [UInt8]
        let crc: UInt32
        let size: UInt32
        let offset: UInt32
    }

    private var bytes: [UInt8] = []
    private var entries: [Entry] = []

    public init() {}

    public mutating func add(_ path: String, _ data: [UInt8]) {
        let name = Array(path.utf8)
        let crc = CRC32.checksum(data)
        precondition(data.count < Int(UInt32.max) && bytes.count < Int(UInt32.max), "ZIP64 is not supported")
        let entry = Entry(name: name, crc: crc, size: UInt32(data.count), offset: UInt32(bytes.count))
        append32(0x0403_4B50)          // local file header
        append16(20)                    // version needed: 2.0
        append16(0x0800)                // flags: UTF-8 names
        append16(0)                     // method: stored
        append16(0); append16(0x21)     // time 00:00, date 1980-01-01
        append32(crc); append32(entry.size); append32(entry.size)
        append16(UInt16(name.count)); append16(0)
        bytes += name
        bytes += data
        entries.append(entry)
    }

    public mutating func add(_ path: String, text: String) { add(path, Array(text.utf8)) }

    /// The archive's bytes: entries, central directory, end record.
    public func finished() -> [UInt8] {
        var archive = self
        let directoryStart = UInt32(archive.bytes.count)
        for entry in entries {
            archive.append32(0x0201_4B50)
            archive.append16(20); archive.append16(20)
            archive.append16(0x0800); archive.append16(0)
            archive.append16(0); archive.append16(0x21)
            archive.append32(entry.crc); archive.append32(entry.size); archive.append32(entry.size)
            archive.append16(UInt16(entry.name.count)); archive.append16(0); archive.append16(0)
            archive.append16(0); archive.append16(0); archive.append32(0)
            archive.append32(entry.offset)
            archive.bytes += entry.name
        }
        let directorySize = UInt32(archive.bytes.count) - directoryStart
        archive.append32(0x0605_4B50)
        archive.append16(0); archive.append16(0)
        archive.append16(UInt16(entries.count)); archive.append16(UInt16(entries.count))
        archive.append32(directorySize); archive.append32(directoryStart)
        archive.append16(0)
        return archive.bytes
    }

    private mutating func append16(_ value: UInt16) {
        bytes.append(UInt8(value & 0xFF)); bytes.append(UInt8(value >> 8))
    }

    private mutating func append32(_ value: UInt32) {
        append16(UInt16(value & 0xFFFF)); append16(UInt16(value >> 16))
    }
}
