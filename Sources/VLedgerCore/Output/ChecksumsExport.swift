// CRC32 moved to the Checksums target (shared with the QR code's PNG writer); callers of
// VLedgerCore keep seeing it where it was.
@_exported import Checksums
