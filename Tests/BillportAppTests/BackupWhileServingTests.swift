import Foundation
import Relational
import SQLite
import Synchronization
import TestSupport
import Testing

/// Three `billport backup` processes run one after another while a real `billport serve` keeps
/// issuing invoices and taking their payments (through the fake provider's signed webhooks and
/// the `payment.event` jobs its workers complete). The writer's history is a numbered sequence
/// — INV-n is created, issued, shared, paid, and only then INV-n+1 begins — so a consistent
/// snapshot holds exactly INV-1…k, every invoice before INV-k paid once, and nothing that
/// points at a row it lacks. One backup is restored and served again.
@Suite(.serialized, .timeLimit(.minutes(1))) struct BackupWhileServingTests {
    let billport = ChildProcess.builtProduct("billport")

    @Test func backupsTakenWhileServeWritesHoldAPrefixOfTheHistoryAndARestoredOneServesIt() async throws {
        let dir = TemporaryDirectory()
        let fake = try await FakeStripe.start()
        let environment = ["BILLPORT_DATA_DIRECTORY": dir.file("data"), "BILLPORT_HTTP_PORT": "0",
                           "BILLPORT_SCHEDULER_ENABLED": "false", "BILLPORT_PAYMENTS_STRIPE_BASE_URL": fake.baseURL,
                           "BILLPORT_HTTP_RATE_LIMIT_PER_ADDRESS": "0", "BILLPORT_HTTP_RATE_LIMIT_PER_TOKEN": "0"]
        func run(_ arguments: [String]) async throws -> String {
            let process = try ChildProcess(billport, arguments, directory: dir.path, environment: environment)
            let status = try await process.waitForExit(timeout: .seconds(30))
            guard status == 0 else { throw LiveClientFailure("billport \(arguments.joined(separator: " ")): \(String(describing: status)) \(process.stderr)") }
            return process.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        _ = try await run(["tenant", "create", "acme", "--name", "Acme GmbH"])
        _ = try await run(["tenant", "payments", "acme", "--plan", "pro", "--stripe-key", FakeStripe.apiKey,
                           "--webhook-secret", FakeStripe.webhookSecret])
        let token = try await run(["token", "--tenant", "acme", "--perms", "invoices:write,invoices:manage"])

        var serve = try ChildProcess(billport, ["serve"], directory: dir.path, environment: environment, name: "serve")
        let port = try await serve.listeningPort()
        let writer = HistoryWriter(api: try LiveClient(port: port, token: token), fake: fake,
                                   webhookURL: "http://127.0.0.1:\(port)/webhooks/stripe/acme")
        let writing = Task { try await writer.run() }

        var snapshots: [Int] = []
        var printed: [String] = []
        var startedBefore = 1
        for round in 1...3 {
            // Each backup starts after the writer has created an invoice the previous one could
            // not hold, so the three snapshots must differ.
            let needed = startedBefore + 1
            try await eventually(timeout: .seconds(20), "the writer to create INV-\(needed)") {
                if let failure = writer.failure { throw failure }
                return writer.createdCount >= needed
            }
            let createdBefore = writer.createdCount
            let writesBefore = writer.writeCount
            let path = dir.file("backup-\(round).sqlite")
            let output = try await run(["backup", path])
            let startedAfter = writer.startedCount
            startedBefore = startedAfter
            printed.append(output + "; the writer committed \(writer.writeCount - writesBefore) requests meanwhile")
            let k = try await HistoryCheck.prefixLength(of: path)
            #expect(k >= createdBefore && k <= startedAfter, "backup \(round) holds INV-1…\(k): created \(createdBefore) before it, started \(startedAfter) by its end")
            snapshots.append(k)
        }
        writer.stop()
        try await writing.value
        #expect(snapshots == snapshots.sorted() && Set(snapshots).count == 3, "\(snapshots)")
        print("billport backup while serve writes (\(writer.createdCount) invoices issued and paid meanwhile):\n" + printed.joined(separator: "\n"))

        serve.send(SIGTERM)
        #expect(try await serve.waitForExit() == 0, "\(serve.stderr)")
        _ = try await run(["restore", dir.file("backup-2.sqlite")])
        serve = try ChildProcess(billport, ["serve"], directory: dir.path, environment: environment, name: "serve-restored")
        let api = try LiveClient(port: try await serve.listeningPort(), token: token)
        let first = writer.history[0]
        let invoice = try await api.expect(200, "GET", "/api/invoices/\(first.id)")
        #expect(invoice["number"] as? String == "INV-1" && invoice["status"] as? String == "paid")
        #expect((invoice["payments"] as? [Any])?.count == 1, "its payment came back with it")
        let page = try await api.send("GET", "/invoice/\(first.shareToken)", authorized: false)
        #expect(page.status == 200 && page.text.contains("INV-1"), "the share link made before the backup opens")
        let later = writer.history[snapshots[1]]
        #expect(try await api.send("GET", "/api/invoices/\(later.id)").status == 404, "INV-\(later.number), created after backup 2, is gone")
        serve.send(SIGTERM)
        #expect(try await serve.waitForExit() == 0, "\(serve.stderr)")
        try await fake.stop()
    }
}

/// Issues INV-1, INV-2, … one after another through the API, each shared and paid through the
/// fake provider before the next begins; counts what it started and what committed.
final class HistoryWriter: Sendable {
    struct Fact: Sendable {
        let number: Int
        let id: Int
        let shareToken: String
    }

    private let api: LiveClient
    private let fake: FakeStripe
    private let webhookURL: String
    private let state = Mutex<(started: Int, created: Int, facts: [Fact], failure: (any Error)?)>((0, 0, [], nil))
    private let writes = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)

    init(api: LiveClient, fake: FakeStripe, webhookURL: String) {
        self.api = api
        self.fake = fake
        self.webhookURL = webhookURL
    }

    /// The highest invoice number whose creation was sent (it may have committed).
    var startedCount: Int { state.withLock { $0.started } }
    /// The highest invoice number whose creation was answered 201.
    var createdCount: Int { state.withLock { $0.created } }
    /// Every invoice that was issued, shared and paid, in order.
    var history: [Fact] { state.withLock { $0.facts } }
    var failure: (any Error)? { state.withLock { $0.failure } }
    /// How many writing requests (create, issue, share, pay, the provider's webhook) were answered.
    var writeCount: Int { writes.load(ordering: .acquiring) }

    func stop() { stopping.store(true, ordering: .relaxed) }

    func run() async throws {
        do {
            let customer = try await api.expect(201, "POST", "/api/customers", json: ["name": "Buyer Ltd", "email": "ap@buyer.example"])
            let customerID = try #require(customer["id"] as? Int)
            var number = 0
            while !stopping.load(ordering: .relaxed) {
                number += 1
                try await issueAndCollect(number, customerID: customerID)
            }
        } catch {
            state.withLock { $0.failure = error }
            throw error
        }
    }

    private func wrote() { writes.add(1, ordering: .releasing) }

    private func issueAndCollect(_ number: Int, customerID: Int) async throws {
        state.withLock { $0.started = number }
        let created = try await api.expect(201, "POST", "/api/invoices", json: [
            "customerId": customerID, "number": "INV-\(number)", "currency": "EUR", "issueDate": "2026-12-01", "dueDate": "2026-12-31",
            "lines": [["description": "Work \(number)", "quantity": 1, "unitPrice": 1000 + number, "taxRate": 0]],
        ])
        let id = try #require(created["id"] as? Int)
        state.withLock { $0.created = number }
        wrote()
        _ = try await api.expect(200, "POST", "/api/invoices/\(id)/issue")
        wrote()
        let share = try await api.expect(201, "POST", "/api/invoices/\(id)/share")
        wrote()
        let shareToken = try #require(share["shareToken"] as? String)
        let checkout = try await api.expect(200, "POST", "/invoice/\(shareToken)/pay", json: [:], authorized: false)
        wrote()
        let session = try #require((checkout["checkoutUrl"] as? String).flatMap { URL(string: $0)?.lastPathComponent })
        let delivery = try await fake.complete(session, webhookURL: webhookURL)
        guard delivery.delivery?.status == 200 else { throw LiveClientFailure("webhook for INV-\(number): \(String(describing: delivery.delivery))") }
        wrote()
        try await eventually(timeout: .seconds(20), "INV-\(number) to be paid") {
            try await api.expect(200, "GET", "/api/invoices/\(id)")["status"] as? String == "paid"
        }
        state.withLock { $0.facts.append(Fact(number: number, id: id, shareToken: shareToken)) }
    }
}

/// What a snapshot of the writer's history must look like.
enum HistoryCheck {
    struct Row: Sendable, CustomStringConvertible {
        let number: String, status: String, total: Int64, amountPaid: Int64, payments: Int, paymentSum: Int64
        var description: String { "\(number) \(status) total \(total) paid \(amountPaid) in \(payments) payments (\(paymentSum))" }
    }

    /// Checks the backup at `path` (integrity, INV-1…k and nothing else, every invoice before INV-k
    /// paid by exactly one payment, no row pointing at a missing one) and returns k.
    static func prefixLength(of path: String) async throws -> Int {
        #expect(try Database.integrityCheck(path: path) == ["ok"])
        let (invoices, orphans, foreignKeyProblems, events, renders) = try await Database(path: path).read { db in
            let invoices = try db.query("""
                SELECT i.number, i.status, i.total, i.amount_paid,
                       (SELECT count(*) FROM payments p WHERE p.invoice_id = i.id),
                       (SELECT coalesce(sum(p.amount), 0) FROM payments p WHERE p.invoice_id = i.id)
                FROM invoices i ORDER BY i.id
                """) { row in Row(number: row.string(0), status: row.string(1), total: row.int64(2), amountPaid: row.int64(3),
                                  payments: row.int(4), paymentSum: row.int64(5)) }
            let orphans = try db.queryOne("""
                SELECT (SELECT count(*) FROM payments WHERE invoice_id NOT IN (SELECT id FROM invoices))
                     + (SELECT count(*) FROM jobs WHERE kind = 'payment.event'
                          AND json_extract(payload, '$.eventRowId') NOT IN (SELECT id FROM provider_events))
                     + (SELECT count(*) FROM jobs WHERE kind = 'pdf.render'
                          AND json_extract(payload, '$.invoiceId') NOT IN (SELECT id FROM invoices))
                """) { $0.int(0) } ?? -1
            let foreignKeyProblems = try db.query("PRAGMA foreign_key_check") { $0.string(0) }
            let events = try db.queryOne("SELECT count(*) FROM provider_events") { $0.int(0) } ?? -1
            let renders = try db.queryOne("SELECT count(*) FROM jobs WHERE kind = 'pdf.render'") { $0.int(0) } ?? -1
            return (invoices, orphans, foreignKeyProblems, events, renders)
        }
        let k = invoices.count
        #expect(invoices.map(\.number) == (0..<k).map { "INV-\($0 + 1)" }, "a gap-free prefix of the invoices")
        for (index, invoice) in invoices.enumerated() {
            #expect(invoice.status == "paid" || index == k - 1, "\(invoice.number) was paid before the next one began")
            let settled = invoice.status == "paid" ? invoice.total : 0
            #expect(invoice.payments == (settled > 0 ? 1 : 0) && invoice.paymentSum == settled && invoice.amountPaid == settled,
                    "payment and status commit together: \(invoice)")
        }
        #expect(orphans == 0, "no payment or job refers to a row the snapshot lacks")
        #expect(foreignKeyProblems.isEmpty, "\(foreignKeyProblems)")
        #expect(events == k || events == k - 1, "one provider event per invoice paid or being paid: \(events) for \(k)")
        #expect(renders >= k - 1, "each issued invoice's render job is in the snapshot")
        return k
    }
}
