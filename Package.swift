// swift-tools-version: 6.0
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "vledger",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "vledger", targets: ["vledger"]),
        .library(name: "PostgresLibPQ", targets: ["PostgresLibPQ"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // The C surface of libpq and nothing else.
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"]), .brew(["libpq"])]
        ),
        // A small, safe Swift layer over libpq: connections, parameterised queries, decoding, COPY, pool.
        .target(
            name: "PostgresLibPQ",
            dependencies: ["CLibPQ"],
            swiftSettings: swiftSettings
        ),
        // CRC-32 and Adler-32: the ZIP writer of VLedgerCore and the PNG writer of QRCode.
        .target(
            name: "Checksums",
            swiftSettings: swiftSettings
        ),
        // QR codes (byte mode, level M), the project's own, rendered to SVG, PNG and terminal text.
        .target(
            name: "QRCode",
            dependencies: ["Checksums"],
            swiftSettings: swiftSettings
        ),
        // The ledger itself: rules, services, imports, metrics. No command-line concerns.
        .target(
            name: "VLedgerCore",
            dependencies: ["PostgresLibPQ", "Checksums"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "vledger",
            dependencies: [
                "VLedgerCore",
                "PostgresLibPQ",
                "QRCode",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        // Shared by the test targets: per-test databases on the server named by VLEDGER_TEST_DATABASE_URL.
        .target(
            name: "VLedgerTestSupport",
            dependencies: ["PostgresLibPQ", "VLedgerCore"],
            path: "Tests/VLedgerTestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PostgresLibPQTests",
            dependencies: ["PostgresLibPQ", "VLedgerTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "VLedgerCoreTests",
            dependencies: ["VLedgerCore", "PostgresLibPQ", "VLedgerTestSupport", "QRCode"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "VLedgerCLITests",
            dependencies: ["VLedgerCore", "PostgresLibPQ", "VLedgerTestSupport", "QRCode"],
            swiftSettings: swiftSettings
        ),
    ]
)
