import Foundation
import HTTPClient
import Billing
import BillingStore
import Queue
import Scheduler
import Relational
import SQLite

/// `abuse.pdf_under_bombs`: release `billport serve` with default settings over a database in
/// which tenant A's logo is a decompression bomb (a 155 KB PNG of 10000×4000 zero RGBA pixels,
/// written directly, as a database from before uploads were checked holds it). Three of A's PDFs
/// are requested at once, and meanwhile an ordinary buyer of tenant B opens a fresh PDF: the
/// figure is how long B waits (target < 1 s).
struct LogoBombBench {
    let billport: String
    let directory: String

    func run(_ report: inout BenchReport) async throws {
        let data = directory + "/logo-bomb"
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        let (bombPaths, ordinaryPath) = try await prepare(path: data + "/billport.sqlite")

        var environment = HTTPBench.inheritedEnvironment()
        environment["BILLPORT_DATA_DIRECTORY"] = data
        environment["BILLPORT_DATABASE_PATH"] = data + "/billport.sqlite"
        let port = try HTTPBench.freePort()
        environment["BILLPORT_HTTP_HOST"] = "127.0.0.1"
        environment["BILLPORT_HTTP_PORT"] = String(port)
        let serve = try await HTTPBench.Server.start(billport, ["serve"], environment: environment, port: port, log: data + "/serve.log")
        let base = "http://127.0.0.1:\(port)"
        let ordinary: (status: Int, ms: Double)
        let bombs: [(status: Int, ms: Double)]
        do {
            (ordinary, bombs) = try await withThrowingTaskGroup(of: (Bool, Int, Double).self) { group in
                for path in bombPaths {
                    group.addTask { let (status, ms) = try await Self.get(base + path); return (true, status, ms) }
                }
                // Let the three bomb renders take the server first, as an attacker's would.
                try await Task.sleep(for: .milliseconds(200))
                group.addTask { let (status, ms) = try await Self.get(base + ordinaryPath); return (false, status, ms) }
                var ordinary = (status: 0, ms: 0.0)
                var bombs: [(status: Int, ms: Double)] = []
                for try await (isBomb, status, ms) in group {
                    if isBomb { bombs.append((status, ms)) } else { ordinary = (status, ms) }
                }
                return (ordinary, bombs)
            }
            let rssMB = try HTTPBench.peakRSSMegabytes(pid: serve.process.processIdentifier)
            report.add("abuse.pdf_under_bombs.ms", ordinary.ms, "ms", target: "< 1000 (tenant B's fresh PDF, status \(ordinary.status))",
                       meets: ordinary.status == 200 && ordinary.ms < 1000)
            report.add("abuse.pdf_bomb_logo.ms", bombs.map(\.ms).max() ?? 0, "ms",
                       target: "tenant A's 3 PDFs, statuses \(bombs.map { String($0.status) }.joined(separator: ","))")
            report.add("abuse.pdf_under_bombs.rss_mb", rssMB, "MB")
        } catch {
            await serve.stop()
            throw error
        }
        await serve.stop()
    }

    /// Tenant A with three shared invoices and the bomb as its logo, tenant B with one shared
    /// invoice; returns the public PDF paths.
    private func prepare(path: String) async throws -> ([String], String) {
        let database = try Database(path: path)
        try Migrator.migrate(database, migrations: QueueSchema.migrations + SchedulerSchema.migrations + BillingSchema.migrations)
        let stores = BillingStores.sqlite(database: database)
        func sharedInvoices(_ slug: String, _ count: Int) async throws -> (Int64, [String]) {
            let tenant = try await stores.tenants.createTenant(slug: slug, name: "\(slug.capitalized) Ltd")
            let customer = try await stores.customers.createCustomer(tenantID: tenant.id, name: "Buyer", email: "buyer@\(slug).example", preferences: .init())
            var paths: [String] = []
            for index in 0..<count {
                let request = try JSONDecoder().decode(CreateInvoiceRequest.self, from: Data("""
                    {"customerId": \(customer.id), "number": "\(slug.uppercased())-\(index)", "currency": "EUR", "issueDate": "2026-11-01",
                     "dueDate": "2026-12-01", "lines": [{"description": "Work", "quantity": 1, "unitPrice": 100000}]}
                    """.utf8))
                let invoice = try await stores.invoices.createInvoice(tenantID: tenant.id, draft: try InvoiceDraft.validate(request))
                _ = try await stores.invoices.issue(tenantID: tenant.id, id: invoice.id)
                guard let token = try await stores.links.share(tenantID: tenant.id, invoiceID: invoice.id, regenerate: false).token else {
                    throw BenchFailure("no share token for \(slug) invoice \(index)")
                }
                paths.append("/invoice/\(token)/pdf")
            }
            return (tenant.id, paths)
        }
        let (bombTenant, bombPaths) = try await sharedInvoices("bomb", 3)
        let (_, ordinaryPaths) = try await sharedInvoices("ordinary", 1)
        try await dropPendingRenders(database)
        let bomb = Self.zeroPNG(width: 10_000, height: 4_000)
        try await database.write { db in try db.execute("UPDATE tenants SET logo = ? WHERE id = ?", bomb, bombTenant) }
        return (bombPaths, ordinaryPaths[0])
    }

    /// Status and milliseconds of one GET (a generous timeout: before the fix it took minutes).
    private static func get(_ url: String) async throws -> (Int, Double) {
        let http = try HTTPClient(configuration: HTTPClientConfiguration(timeout: .seconds(300)))
        let started = ContinuousClock.now
        let response = try await http.send(HTTPClientRequest(url: url))
        return (response.status, seconds(since: started) * 1000)
    }

    /// A PNG of `width`×`height` zero RGBA pixels whose image data is one dynamic-Huffman block
    /// of 258-byte zero runs at two bits each (literal 0 → 10, end → 11, length 258 → 0; one
    /// distance code → 0): 10000×4000 is 160 MB of pixels in 155 KB.
    static func zeroPNG(width: Int, height: Int) -> [UInt8] {
        var bits: [UInt8] = [], bitCount = 0
        func push(_ bit: Int) {
            if bitCount % 8 == 0 { bits.append(0) }
            bits[bits.count - 1] |= UInt8(bit) << UInt8(bitCount % 8)
            bitCount += 1
        }
        func field(_ value: Int, _ count: Int) { for bit in 0..<count { push((value >> bit) & 1) } }
        func code(_ value: Int, _ length: Int) { for bit in stride(from: length - 1, through: 0, by: -1) { push((value >> bit) & 1) } }
        let count = (width * 4 + 1) * height
        field(1, 1); field(2, 2); field(29, 5); field(0, 5); field(14, 4)
        for length in [0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 2] { field(length, 3) }
        func zeros(_ run: Int) { code(0, 1); field(run - 11, 7) }
        code(0b11, 2); zeros(138); zeros(117); code(0b11, 2); zeros(28); code(0b10, 2); code(0b10, 2)
        code(0b10, 2)
        var left = count - 1
        while left >= 258 { code(0, 1); code(0, 1); left -= 258 }
        for _ in 0..<left { code(0b10, 2) }
        code(0b11, 2)
        func bigEndian(_ value: UInt32) -> [UInt8] { [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)] }
        func chunk(_ type: String, _ body: [UInt8]) -> [UInt8] {
            let typed = Array(type.utf8) + body
            var crc: UInt32 = 0xFFFF_FFFF
            for byte in typed {
                crc ^= UInt32(byte)
                for _ in 0..<8 { crc = crc & 1 == 1 ? 0xEDB8_8320 ^ (crc >> 1) : crc >> 1 }
            }
            return bigEndian(UInt32(body.count)) + typed + bigEndian(~crc)
        }
        let zlib = [0x78, 0x01] + bits + bigEndian(UInt32(count % 65521) << 16 | 1)
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", bigEndian(UInt32(width)) + bigEndian(UInt32(height)) + [8, 6, 0, 0, 0])
            + chunk("IDAT", zlib) + chunk("IEND", [])
    }
}
