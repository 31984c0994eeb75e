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
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
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
        // The ledger over HTTP: routes, sessions, errors as JSON. Thin over VLedgerCore.
        .target(
            name: "VLedgerHTTP",
            dependencies: [
                "VLedgerCore",
                "PostgresLibPQ",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Mustache", package: "swift-mustache"),
                "QRCode",
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "vledger",
            dependencies: [
                "VLedgerCore",
                "VLedgerHTTP",
                "PostgresLibPQ",
                "QRCode",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
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
            name: "VLedgerHTTPTests",
            dependencies: [
                "VLedgerHTTP", "VLedgerCore", "PostgresLibPQ", "VLedgerTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "VLedgerCLITests",
            dependencies: ["VLedgerCore", "PostgresLibPQ", "VLedgerTestSupport", "QRCode"],
            swiftSettings: swiftSettings
        ),
    ]
)
