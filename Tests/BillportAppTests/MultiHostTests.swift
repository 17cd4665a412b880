import Foundation
import PostgreSQL
import Relational
import Synchronization
import TestSupport
import Testing

/// Several hosts, simulated: one PostgreSQL database; two `billport api`, three `billport worker`
/// and two `billport scheduler` processes on it, each with a data directory of its own. Invoices
/// are driven through both API hosts (PDF renders, emails to an SMTP sink, payment events the
/// fake provider POSTs signed) while workers are SIGKILLed three times, an API host once, and
/// PostgreSQL restarts once. Then every job is done, every payment counted once, every email
/// arrived, links made on one host open on the other, and each schedule slot fired once.
@Suite(.serialized) struct MultiHostTests {
    static let tenant = "acme"
    /// Invoices to drive (`BILLPORT_MULTIHOST_INVOICES`): each causes a render at issue, an email, a payment event
    /// and, unless the first still waits, a render after the payment: 2,700 make about 10,300 jobs.
    static let invoices = ProcessInfo.processInfo.environment["BILLPORT_MULTIHOST_INVOICES"].flatMap(Int.init) ?? 2700
    static let lanes = 8
    /// `mail` slots per worker: a worker killed (or losing the database) between the SMTP answer
    /// and the log commit sends at most this many emails again.
    static let mailSlots = 2

    @Test(.enabled(if: PostgresServer.isAvailable, PostgresServer.missing), .timeLimit(.minutes(15)))
    func jobsPaymentsEmailsLinksAndSchedulesSurviveKilledHostsAndADatabaseRestart() async throws {
        let started = ContinuousClock.now
        let server = try PostgresServer(maxConnections: 200)
        defer { server.stop() }
        let fake = try await FakeStripe.start()
        let sink = try await SMTPSink()
        let installation = MultiHostInstallation(server: server, environment: [
            "BILLPORT_LOG_LEVEL": "warning", "BILLPORT_QUEUE_LEASE": "3s", "BILLPORT_WORKER_QUEUES": "default=4,mail=\(Self.mailSlots)",
            "BILLPORT_PAYMENTS_STRIPE_BASE_URL": fake.baseURL,
            "BILLPORT_MAIL_TRANSPORT": "smtp", "BILLPORT_MAIL_URL": sink.url, "BILLPORT_MAIL_START_TLS": "off",
            "BILLPORT_HTTP_RATE_LIMIT_PER_ADDRESS": "0", "BILLPORT_HTTP_RATE_LIMIT_PER_TOKEN": "0",
            "BILLPORT_HTTP_MAX_CONNECTIONS_PER_ADDRESS": "1024",
            "BILLPORT_SCHEDULER_SCHEDULES": #"{"tick": {"every": "1s", "kind": "diag.noop"}}"#,
            "BILLPORT_SCHEDULER_TICK": "250ms", "BILLPORT_SCHEDULER_LEASE": "2s",
        ])
        _ = try await installation.run(["migrate"])
        _ = try await installation.run(["tenant", "create", Self.tenant, "--name", "Acme GmbH"])
        _ = try await installation.run(["tenant", "payments", Self.tenant, "--plan", "pro", "--stripe-key", FakeStripe.apiKey,
                                        "--webhook-secret", FakeStripe.webhookSecret])
        let token = try await installation.run(["token", "--tenant", Self.tenant, "--perms", "invoices:write,invoices:manage"])
        let hosts = APIHosts(ports: [try await installation.startAPI(name: "api-1"), try await installation.startAPI(name: "api-2")], token: token)
        for n in 1...3 { try installation.start(["worker"], name: "worker-\(n)") }
        for n in 1...2 { try installation.start(["scheduler"], name: "scheduler-\(n)", environment: ["BILLPORT_LOG_LEVEL": "info"]) }
        let database = try PostgresDatabase(server.connectionString, maximumConnections: 2)
        let check = MultiHostCheck(database: database)

        let numbers = (1...Self.invoices).map { String(format: "MH-%05d", $0) }
        var customers: [Int] = []
        for lane in 0..<Self.lanes {
            let customer = try await hosts.expect(201, "POST", "/api/customers", json: ["name": "Buyer \(lane)", "email": "ap\(lane)@buyer.example"],
                                                  headers: ["Idempotency-Key": "customer-\(lane)"], host: lane)
            customers.append(try #require(customer["id"] as? Int))
        }
        let drivers = customers.map { customer in
            InvoiceDriver(hosts: hosts, fake: fake, customerID: customer, sendEnqueued: { try await check.sendEnqueued(invoice: $0) })
        }
        let completed: @Sendable () -> Int = { drivers.reduce(0) { $0 + $1.completed } }
        let driving = Task {
            try await withThrowingTaskGroup(of: [DrivenInvoice].self) { group in
                for lane in 0..<Self.lanes {
                    let mine = stride(from: lane, to: numbers.count, by: Self.lanes).map { numbers[$0] }
                    group.addTask { try await drivers[lane].drive(mine, lane: lane) }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
        }
        let chaos = Chaos(installation: installation, hosts: hosts, check: check, completed: completed, total: Self.invoices)
        let chaosRun = Task { try await chaos.run() }
        let driven: [DrivenInvoice]
        do {
            driven = try await driving.value
        } catch {
            chaos.abandon()
            _ = try? await chaosRun.value
            for host in ["api-1", "api-2", "api-3"] { print("\(host) log:\n\(installation.log(host).suffix(3000))") }
            throw error
        }
        try await chaosRun.value
        let drivenSeconds = seconds(since: started)

        // Every job of the three kinds done, none dead, none lost.
        let expected = Self.invoices
        do {
            try await eventually(timeout: .seconds(300), "every render, email and payment job to be done") {
                try await check.allDone(invoices: expected, every: .milliseconds(500))
            }
        } catch {
            print("jobs: \(try await check.jobCounts())")
            for host in ["worker-1", "worker-2", "worker-3", "worker-4", "worker-5", "worker-6"] { print("\(host) log:\n\(installation.log(host).suffix(3000))") }
            throw error
        }
        let jobs = try await check.jobCounts()
        #expect(jobs["email.send"] == ["done": expected] && jobs["payment.event"] == ["done": expected], "\(jobs)")
        let renders = jobs["pdf.render"]?["done"] ?? 0
        #expect(jobs["pdf.render"]?.count == 1 && (expected...(2 * expected)).contains(renders),
                "one render at issue, one after the payment (unless the first still waited): \(jobs)")
        let jobTotal = MultiHostCheck.kinds.reduce(0) { $0 + (jobs[$1]?["done"] ?? 0) }
        #expect(jobs.values.allSatisfy { $0["dead"] == nil }, "no job of any kind is dead: \(jobs)")

        // Every payment applied exactly once.
        let ledger = try await check.ledger()
        #expect(ledger.paidInvoices == expected && ledger.payments == expected && ledger.events == expected
                && ledger.appliedEvents == expected && ledger.invoicesPaidTwice == 0, "\(ledger)")

        // Every invoice's email at the sink; duplicates only from a worker that died mid-send.
        let throttle = Throttle()
        try await eventually(timeout: .seconds(60), "an email per invoice at the sink") {
            try throttle.due(every: .milliseconds(500)) && MailCount.messages(in: sink) >= expected
        }
        let mailed = try MailCount.invoiceNumbers(in: sink)
        let distinct = Set(mailed)
        let duplicates = mailed.count - distinct.count
        #expect(distinct == Set(numbers), "each invoice's email arrived (\(distinct.count) of \(expected))")
        // A killed worker can resend what its mail slots held; a restart, what every worker's held.
        let resendable = (chaos.workerKills + chaos.databaseRestarts * 3) * Self.mailSlots
        #expect(duplicates <= resendable, "\(duplicates) duplicate emails; at most \(resendable) may be sent again")

        // Links and portal tokens made through one API host open through the other.
        for invoice in stride(from: 0, to: driven.count, by: max(1, driven.count / 20)).map({ driven[$0] }) {
            let page = try await hosts.send("GET", "/invoice/\(invoice.shareToken)", authorized: false, host: invoice.sharedThrough + 1)
            #expect(page.status == 200 && page.text.contains(invoice.number), "\(invoice.number)'s share link opens on the other host")
        }
        for (index, customer) in customers.enumerated() {
            let made = try await hosts.expect(201, "POST", "/api/customers/\(customer)/portal-token", headers: ["Idempotency-Key": "portal-\(index)"], host: index)
            let portalToken = try #require(made["token"] as? String)
            #expect(try await hosts.send("GET", "/api/portal/\(portalToken)", authorized: false, host: index + 1).status == 200,
                    "a portal token made on one host opens on the other")
        }

        // One scheduler leader at any time: each slot fired once, by one scheduler.
        let slots = try await check.scheduledSlots()
        #expect(slots.jobs > 0 && slots.jobs == slots.distinctSlots, "\(slots.jobs) scheduled jobs for \(slots.distinctSlots) slots")
        #expect(slots.leaseRows == 1, "the lease row names one holder")
        let fired = (1...2).map { SchedulerLog.firedSlots(installation.log("scheduler-\($0)")) }
        #expect(fired[0].isDisjoint(with: fired[1]), "no slot fired by both schedulers")

        #expect(installation.crashed(except: chaos.killed).isEmpty, "no host died on its own: \(installation.crashed(except: chaos.killed))")
        let statuses = try await installation.stopAll()
        #expect(statuses.values.allSatisfy { $0 == 0 }, "every host stops cleanly: \(statuses)")
        try await fake.stop()
        print("multi-host: \(jobTotal) jobs (\(expected) invoices: \(renders) renders, \(expected) emails, \(expected) payments) + \(slots.jobs) scheduled, "
              + "\(chaos.workerKills) worker kills, \(chaos.apiKills) api kill, \(chaos.databaseRestarts) PostgreSQL restart, "
              + "\(duplicates) duplicate emails, slots fired by the schedulers \(fired[0].count)/\(fired[1].count), "
              + "driven in \(Int(drivenSeconds)) s, all done in \(Int(seconds(since: started))) s")
    }
}

/// Seconds since `start`.
func seconds(since start: ContinuousClock.Instant) -> Double {
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}
