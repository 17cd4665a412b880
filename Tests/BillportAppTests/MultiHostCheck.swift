import Foundation
import PostgreSQL
import Relational
import Synchronization
import TestSupport
import Testing

/// What the shared database says about the run.
final class MultiHostCheck: Sendable {
    /// The job kinds the driver causes, one each per invoice.
    static let kinds = ["pdf.render", "email.send", "payment.event"]

    let database: PostgresDatabase
    private let throttle = Throttle()

    init(database: PostgresDatabase) {
        self.database = database
    }

    /// Whether every driven job is done: one email and one payment event per invoice, and
    /// at least one render (a payment renders again, once per burst); nil when the last look is
    /// less than `every` ago, so that a condition polled every few milliseconds queries the
    /// database at that pace only.
    func allDone(invoices: Int, every interval: Duration) async throws -> Bool {
        guard throttle.due(every: interval) else { return false }
        guard let counts = try? await database.read({ db in
            try db.query("SELECT kind, state, count(*) FROM jobs WHERE kind IN ('pdf.render', 'email.send', 'payment.event') GROUP BY kind, state") {
                ($0.string(0), $0.string(1), $0.int(2))
            }
        }) else { return false }  // PostgreSQL restarting
        let byKind = counts.reduce(into: [String: [String: Int]]()) { $0[$1.0, default: [:]][$1.1] = $1.2 }
        return byKind.allSatisfy { Array($0.value.keys) == ["done"] } && byKind["email.send"]?["done"] == invoices
            && byKind["payment.event"]?["done"] == invoices && byKind["pdf.render"]?["done"] ?? 0 >= invoices
    }

    /// `body` in a read transaction, tried again while PostgreSQL restarts (its connections end).
    private func read<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        let deadline = ContinuousClock.now + .seconds(60)
        while true {
            do {
                return try await database.read(body)
            } catch where ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    /// Jobs by kind, then state.
    func jobCounts() async throws -> [String: [String: Int]] {
        let rows = try await read { db in
            try db.query("SELECT kind, state, count(*) FROM jobs GROUP BY kind, state") { ($0.string(0), $0.string(1), $0.int(2)) }
        }
        return rows.reduce(into: [:]) { $0[$1.0, default: [:]][$1.1] = $1.2 }
    }

    /// Jobs that run while workers hold their leases, by lease owner (a worker's id).
    func runningJobOwners() async throws -> [String] {
        try await read { db in
            try db.query("SELECT lease_owner FROM jobs WHERE state = 'running' AND lease_owner IS NOT NULL") { $0.string(0) }
        }
    }

    /// Whether sending invoice `id` enqueued its `email.send`.
    func sendEnqueued(invoice id: Int) async throws -> Bool {
        try await read { db in
            try db.queryOne("SELECT count(*) FROM jobs WHERE kind = 'email.send' AND (payload::jsonb ->> 'invoiceId')::bigint = ?",
                            Int64(id)) { $0.int(0) } ?? 0
        } > 0
    }

    struct Ledger: CustomStringConvertible {
        var paidInvoices = 0, payments = 0, events = 0, appliedEvents = 0, invoicesPaidTwice = 0
        var description: String {
            "paid invoices \(paidInvoices), payments \(payments), provider events \(events) (\(appliedEvents) applied), paid twice \(invoicesPaidTwice)"
        }
    }

    func ledger() async throws -> Ledger {
        try await read { db in
            func count(_ sql: String) throws -> Int { try db.queryOne(sql) { $0.int(0) } ?? -1 }
            return Ledger(paidInvoices: try count("SELECT count(*) FROM invoices WHERE status = 'paid' AND amount_paid = total"),
                          payments: try count("SELECT count(*) FROM payments"),
                          events: try count("SELECT count(*) FROM provider_events"),
                          appliedEvents: try count("SELECT count(*) FROM provider_events WHERE applied_at IS NOT NULL"),
                          invoicesPaidTwice: try count("SELECT count(*) FROM (SELECT invoice_id FROM payments GROUP BY invoice_id HAVING count(*) > 1) twice"))
        }
    }

    /// Jobs the schedule enqueued, the distinct slots among them, and the scheduler lease rows.
    func scheduledSlots() async throws -> (jobs: Int, distinctSlots: Int, leaseRows: Int) {
        try await read { db in
            let (jobs, slots) = try db.queryOne("SELECT count(*), count(DISTINCT unique_key) FROM jobs WHERE unique_key LIKE 'schedule:%'") {
                ($0.int(0), $0.int(1))
            } ?? (0, 0)
            return (jobs, slots, try db.queryOne("SELECT count(*) FROM leader_leases") { $0.int(0) } ?? 0)
        }
    }
}

/// The hosts killed and the restart, each once the driver has made its share of the invoices:
/// a worker while it runs jobs (and a replacement, as a new machine), an API host (its
/// replacement takes its place behind the balancer), PostgreSQL.
final class Chaos: Sendable {
    private let installation: MultiHostInstallation
    private let hosts: APIHosts
    private let check: MultiHostCheck
    private let completed: @Sendable () -> Int
    private let total: Int
    private let abandoned = Atomic<Bool>(false)
    private let state = Mutex<(killed: Set<String>, workers: Int, apiKills: Int, restarts: Int)>(([], 0, 0, 0))

    init(installation: MultiHostInstallation, hosts: APIHosts, check: MultiHostCheck, completed: @escaping @Sendable () -> Int, total: Int) {
        self.installation = installation
        self.hosts = hosts
        self.check = check
        self.completed = completed
        self.total = total
    }

    var killed: Set<String> { state.withLock { $0.killed } }
    var workerKills: Int { state.withLock { $0.workers } }
    var apiKills: Int { state.withLock { $0.apiKills } }
    var databaseRestarts: Int { state.withLock { $0.restarts } }

    /// The driver failed: stop waiting for its progress.
    func abandon() { abandoned.store(true, ordering: .releasing) }

    func run() async throws {
        var nextWorker = 4
        for (fraction, step) in [(0.15, "worker-1"), (0.3, "api-1"), (0.45, "postgres"), (0.6, "worker-2"), (0.75, "worker-3")] {
            let mark = Int(Double(total) * fraction)
            try await eventually(timeout: .seconds(900), "\(mark) invoices driven") {
                abandoned.load(ordering: .acquiring) || completed() >= mark
            }
            if abandoned.load(ordering: .acquiring) { return }
            switch step {
            case "postgres":
                let server = installation.server
                try await offPool { try server.restart() }
                state.withLock { $0.restarts += 1 }
            case "api-1":
                try await installation.kill(step)
                state.withLock { $0.killed.insert(step); $0.apiKills += 1 }
                hosts.replace(0, port: try await installation.startAPI(name: "api-3"))
            default:
                try await killBusyWorker(step)
                try installation.start(["worker"], name: "worker-\(nextWorker)")
                nextWorker += 1
            }
        }
    }

    /// SIGKILLs `name` once it holds a running job's lease.
    private func killBusyWorker(_ name: String) async throws {
        let pid = installation.pid(name)
        try await eventually(timeout: .seconds(120), "\(name) to run a job") {
            try await check.runningJobOwners().contains { $0.split(separator: ":").dropFirst().first == "\(pid)" }
        }
        try await installation.kill(name)
        state.withLock { $0.killed.insert(name); $0.workers += 1 }
    }
}

/// Lets a condition polled every few milliseconds do its costly look at a slower pace.
final class Throttle: Sendable {
    private let last = Mutex<ContinuousClock.Instant?>(nil)

    /// True when the last look is at least `interval` ago (and counts this one as the last).
    func due(every interval: Duration) -> Bool {
        last.withLock { last in
            guard last.map({ ContinuousClock.now - $0 >= interval }) ?? true else { return false }
            last = .now
            return true
        }
    }
}

/// The invoice numbers of the messages at the sink, one per message (duplicates kept).
enum MailCount {
    /// Messages stored so far.
    static func messages(in sink: SMTPSink) throws -> Int {
        try FileManager.default.contentsOfDirectory(atPath: sink.messages).filter { $0.hasSuffix(".eml") }.count
    }

    static func invoiceNumbers(in sink: SMTPSink) throws -> [String] {
        let names = try FileManager.default.contentsOfDirectory(atPath: sink.messages).filter { $0.hasSuffix(".eml") }
        return try names.compactMap { name in
            let file = try FileHandle(forReadingFrom: URL(fileURLWithPath: sink.messages + "/" + name))
            defer { try? file.close() }
            let head = String(decoding: try file.read(upToCount: 8192) ?? Data(), as: UTF8.self)
            guard let subject = head.split(separator: "\r\n").first(where: { $0.hasPrefix("Subject:") }),
                  let range = subject.range(of: #"MH-[0-9]{5}"#, options: .regularExpression) else { return nil }
            return String(subject[range])
        }
    }
}

/// The slots a scheduler's log says it fired (`schedule fired … slot=…`).
enum SchedulerLog {
    static func firedSlots(_ log: String) -> Set<String> {
        Set(log.split(separator: "\n").filter { $0.contains("schedule fired") }.compactMap { line in
            line.split(separator: " ").first { $0.hasPrefix("slot=") }.map(String.init)
        })
    }
}
