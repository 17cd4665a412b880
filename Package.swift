// swift-tools-version:6.0
// Billport has no Swift package dependencies: only the toolchain
// and the system C libraries below, reached through system-library targets.
import PackageDescription

let swift6: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "Billport",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "billport", targets: ["billport"]),
        .executable(name: "billport-bench", targets: ["billport-bench"]),
    ],
    targets: [
        // System libraries (Debian: libsqlite3-dev, libssl-dev, libcurl4-openssl-dev, libpq-dev).
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3",
                       providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "COpenSSL", path: "Sources/COpenSSL", pkgConfig: "libcrypto",
                       providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CCurl", path: "Sources/CCurl", pkgConfig: "libcurl",
                       providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CLibPQ", path: "Sources/CLibPQ", pkgConfig: "libpq",
                       providers: [.apt(["libpq-dev"])]),

        // Supporting modules.
        .target(name: "BillportCore", swiftSettings: swift6),
        .target(name: "Tokens", dependencies: ["COpenSSL", "BillportCore"], swiftSettings: swift6),
        .target(name: "Relational", swiftSettings: swift6),
        .target(name: "SQLite", dependencies: ["CSQLite", "Relational", "BillportCore"], swiftSettings: swift6),
        .target(name: "HTTPServer", dependencies: ["BillportCore"], swiftSettings: swift6),
        .target(name: "Curl", dependencies: ["CCurl"], swiftSettings: swift6),
        // PostgreSQL through libpq, for installations that outgrow one host.
        .target(name: "PostgreSQL", dependencies: ["CLibPQ", "Relational", "BillportCore"], swiftSettings: swift6),
        .target(name: "HTTPClient", dependencies: ["Curl", "BillportCore"], swiftSettings: swift6),
        .target(name: "Payments", dependencies: ["HTTPClient", "Tokens", "BillportCore"], swiftSettings: swift6),
        .target(name: "PDF", dependencies: ["BillportCore"], swiftSettings: swift6),
        // The QR Code encoder (payment codes on invoices): a leaf, the standard library only.
        .target(name: "QRCode", swiftSettings: swift6),
        .target(name: "Documents", dependencies: ["PDF", "Billing", "EInvoice", "QRCode", "Tokens", "BillportCore"], swiftSettings: swift6),
        .target(name: "Mail", dependencies: ["Curl", "BillportCore"], swiftSettings: swift6),

        // The layout the product owner named.
        .target(name: "Queue", dependencies: ["SQLite", "PostgreSQL", "Relational", "BillportCore"], swiftSettings: swift6),
        .target(name: "Worker", dependencies: ["Queue", "BillportCore"], swiftSettings: swift6),
        .target(name: "Scheduler", dependencies: ["Queue", "Relational", "BillportCore"], swiftSettings: swift6),
        // The operator's queue page, served by the metrics listener.
        .target(name: "Console", dependencies: ["HTTPServer", "Queue", "Scheduler", "Tokens", "BillportCore"], swiftSettings: swift6),
        // The billing domain: pure rules and types, their SQLite stores, and the jobs they cause.
        .target(name: "Billing", dependencies: ["BillportCore"], swiftSettings: swift6),
        // E-invoices (CII XML for Factur-X / ZUGFeRD and XRechnung), pure like the domain they encode.
        .target(name: "EInvoice", dependencies: ["Billing", "BillportCore"], swiftSettings: swift6),
        .target(name: "BillingStore", dependencies: ["Billing", "SQLite", "Relational", "Queue", "Tokens", "BillportCore"], swiftSettings: swift6),
        .target(name: "BillingJobs", dependencies: ["Queue", "Billing", "Documents", "Mail", "Payments", "Tokens", "HTTPClient", "BillportCore"],
                swiftSettings: swift6),
        .target(name: "API", dependencies: ["HTTPServer", "Billing", "Documents", "EInvoice", "QRCode", "PDF", "Payments", "Queue", "Tokens", "BillportCore"], swiftSettings: swift6),

        // The executable: CLI, config, wiring (a library so that tests can reach it).
        .target(name: "BillportApp",
                dependencies: ["BillportCore", "SQLite", "PostgreSQL", "Relational", "Queue", "Worker", "Scheduler", "Tokens", "Billing", "BillingStore", "BillingJobs", "API",
                               "Console", "HTTPServer", "Mail", "Payments", "Documents", "PDF"],
                swiftSettings: swift6),
        .executableTarget(name: "billport", dependencies: ["BillportApp"], swiftSettings: swift6),
        .executableTarget(name: "billport-bench",
                          dependencies: ["BillportApp", "BillportCore", "SQLite", "Relational", "Queue", "Scheduler", "Worker", "Documents", "Billing", "BillingStore", "EInvoice", "Mail",
                                         "HTTPClient", "HTTPServer", "Payments", "Tokens", "QRCode", "PostgreSQL", "TestSupport"],
                          swiftSettings: swift6),

        // Tests.
        .target(name: "TestSupport", dependencies: ["BillportCore", "SQLite", "Relational", "PostgreSQL", "Queue", "Mail", "HTTPClient", "Payments"], path: "Tests/TestSupport",
                exclude: ["FakeStripe/fake-stripe.py", "FakeStripe/fake_stripe_checkout.py"], swiftSettings: swift6),
        .target(name: "BillingFixtures", dependencies: ["Billing"], path: "Tests/BillingFixtures", swiftSettings: swift6),
        .testTarget(name: "BillportCoreTests", dependencies: ["BillportCore", "TestSupport"], swiftSettings: swift6),
        .testTarget(name: "TokensTests", dependencies: ["Tokens", "TestSupport"], swiftSettings: swift6),
        .testTarget(name: "BillingTests", dependencies: ["Billing", "BillportCore"], swiftSettings: swift6),
        .testTarget(name: "EInvoiceTests", dependencies: ["EInvoice", "Billing", "BillportCore", "TestSupport"], swiftSettings: swift6),
        .testTarget(name: "BillingStoreTests", dependencies: ["BillingStore", "Billing", "BillingFixtures", "Queue", "Scheduler", "BillportCore", "SQLite", "Relational", "Tokens", "TestSupport"],
                    swiftSettings: swift6),
        .testTarget(name: "BillingJobsTests", dependencies: ["BillingJobs", "BillingStore", "Billing", "BillingFixtures", "Worker", "Queue", "Scheduler", "Documents",
                                                            "Mail", "Payments", "Tokens", "BillportCore", "SQLite", "Relational", "TestSupport"], swiftSettings: swift6),
        .testTarget(name: "APITests", dependencies: ["API", "BillportApp", "Billing", "BillingStore", "BillingFixtures", "BillingJobs", "Worker", "Documents", "Payments", "Queue",
                                                     "Tokens", "HTTPServer", "Mail", "BillportCore", "SQLite", "Relational", "Scheduler", "TestSupport"], swiftSettings: swift6),
        .testTarget(name: "PostgreSQLTests", dependencies: ["PostgreSQL", "Relational", "TestSupport"], swiftSettings: swift6),
        .testTarget(name: "SQLiteTests", dependencies: ["SQLite", "Relational", "TestSupport"], swiftSettings: swift6),
        .testTarget(name: "QueueTests", dependencies: ["Queue", "BillportCore", "SQLite", "PostgreSQL", "Relational", "TestSupport"], swiftSettings: swift6),
        .testTarget(name: "WorkerTests", dependencies: ["Worker", "Queue", "BillportCore", "SQLite", "Relational", "TestSupport"], swiftSettings: swift6),
        .testTarget(name: "ConsoleTests", dependencies: ["Console", "HTTPServer", "HTTPClient", "Queue", "Scheduler", "SQLite", "Relational", "BillportCore", "TestSupport"],
                    swiftSettings: swift6),
        .testTarget(name: "SchedulerTests", dependencies: ["Scheduler", "Queue", "BillportCore", "SQLite", "PostgreSQL", "Relational", "TestSupport"], swiftSettings: swift6),
        .testTarget(name: "HTTPServerTests", dependencies: ["HTTPServer", "BillportCore", "TestSupport"], swiftSettings: swift6),
        .testTarget(name: "CurlTests", dependencies: ["Curl"], swiftSettings: swift6),
        .testTarget(name: "HTTPClientTests", dependencies: ["HTTPClient", "HTTPServer", "BillportCore", "TestSupport"], swiftSettings: swift6),
        .testTarget(name: "PaymentsTests", dependencies: ["Payments", "HTTPClient", "HTTPServer", "TestSupport"], swiftSettings: swift6),
        .testTarget(name: "PDFTests", dependencies: ["PDF", "TestSupport"], swiftSettings: swift6),
        .testTarget(name: "QRCodeTests", dependencies: ["QRCode", "Billing", "TestSupport"], swiftSettings: swift6),
        .testTarget(name: "DocumentsTests", dependencies: ["Documents", "PDF", "Billing", "BillportCore", "TestSupport"], swiftSettings: swift6),
        .testTarget(name: "MailTests", dependencies: ["Mail", "BillportCore", "TestSupport"], exclude: ["Support"], swiftSettings: swift6),
        .testTarget(name: "BillportAppTests", dependencies: ["BillportApp", "Queue", "SQLite", "PostgreSQL", "Relational", "Scheduler", "Billing", "BillingStore", "BillingFixtures",
                                                            "BillportCore", "Documents", "TestSupport"], swiftSettings: swift6),
    ]
)
