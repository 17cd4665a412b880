import BillportCore
import Foundation
import Billing
import BillingFixtures
import BillingStore
import Queue
import Scheduler
import Relational
import SQLite
import TestSupport
import Testing

/// Webhooks from a real `billport worker` to a real receiver process that verifies every
/// delivery with the `standardwebhooks` library from PyPI (Tests/Python/webhook_receiver.py).
@Suite(.serialized, .enabled(if: WebhookRig.pythonHasStandardWebhooks,
                             "skipped: the standardwebhooks PyPI package is not in .build/test-venv (`make test-venv`)"))
struct WebhookDeliveryProcessTests {
    @Test func duringARotationAReceiverHoldingOnlyTheOldOrOnlyTheNewSecretVerifiesEveryDelivery() async throws {
        let rig = try await WebhookRig()
        let old = WebhookRig.newSecret(), new = WebhookRig.newSecret()
        let endpoint = try await rig.endpoint(secret: old)
        _ = try await rig.stores.webhookEndpoints.rotateWebhookSecret(tenantID: rig.tenantID, id: endpoint, secret: new, overlap: .seconds(3600))
        var receiver = try await rig.receiver(secrets: [old])
        let worker = try rig.worker()
        let first = try await rig.ping(endpoint)
        try await rig.waitUntil(first, is: .succeeded)
        receiver.send(SIGKILL)
        _ = try await receiver.waitForExit(timeout: .seconds(10))
        receiver = try await rig.receiver(secrets: [new], port: rig.port)
        let second = try await rig.ping(endpoint)
        try await rig.waitUntil(second, is: .succeeded)
        let log = try rig.received()
        #expect(log.count == 2)
        #expect(log.allSatisfy { $0.verified }, "\(log)")
        #expect(log.allSatisfy { $0.contentType == "application/json" && $0.type == "ping" })
        #expect(log.map(\.id) == [first.messageID, second.messageID])
        receiver.send(SIGTERM)
        try await rig.stop(worker)
    }

    @Test func answersOf500AndATimeoutAreRetriedWithTheSameWebhookID() async throws {
        let rig = try await WebhookRig()
        let secret = WebhookRig.newSecret()
        let endpoint = try await rig.endpoint(secret: secret)
        // The first request stalls past webhooks.timeout (1 s), the next two get 500.
        let receiver = try await rig.receiver(secrets: [secret], extra: ["--stall-first", "1", "--stall", "3", "--fail-first", "2"])
        let worker = try rig.worker()
        let ping = try await rig.ping(endpoint)
        try await rig.waitUntil(ping, is: .succeeded)
        let log = try rig.received()
        #expect(log.map(\.answered.text) == ["stalled", "500", "500", "204"])
        #expect(Set(log.map(\.id)) == [ping.messageID], "every attempt carries the event's one webhook-id")
        #expect(log.allSatisfy { $0.verified })
        let delivery = try #require(try await rig.delivery(ping))
        #expect(delivery.attempts == 4)
        #expect(delivery.lastStatus == 204)
        receiver.send(SIGTERM)
        try await rig.stop(worker)
    }

    @Test func aReceiverKilledAndRestartedMidRunLosesNothingAndSeesNoEventUnderTwoIDs() async throws {
        let rig = try await WebhookRig()
        let secret = WebhookRig.newSecret()
        let endpoint = try await rig.endpoint(secret: secret)
        var receiver = try await rig.receiver(secrets: [secret])
        // Retries every 0.4 s at most, for as long as the receiver may take to come back under load.
        let worker = try rig.worker(["BILLPORT_WEBHOOKS_MAX_ATTEMPTS": "100"])
        var pings: [WebhookDelivery] = []
        for _ in 0..<10 { pings.append(try await rig.ping(endpoint)) }
        try await eventually(timeout: .seconds(30), "the first deliveries") { try rig.received().count >= 3 }
        receiver.send(SIGKILL)
        _ = try await receiver.waitForExit(timeout: .seconds(10))
        #expect(try rig.received().prefix(3).map(\.id) == pings.prefix(3).map(\.messageID), "one endpoint receives in event order")
        for _ in 0..<10 { pings.append(try await rig.ping(endpoint)) }
        try await eventually(timeout: .seconds(30), "a delivery to fail while the receiver is down") {
            try await rig.count("SELECT count(*) FROM webhook_deliveries WHERE last_error IS NOT NULL AND state = 'pending'") > 0
        }
        receiver = try await rig.receiver(secrets: [secret], port: rig.port)
        for ping in pings { try await rig.waitUntil(ping, is: .succeeded) }
        let log = try rig.received()
        #expect(log.allSatisfy { $0.verified })
        #expect(Set(log.map(\.id)) == Set(pings.map(\.messageID)), "every event arrived, each under its own id only")
        #expect(try await rig.count("SELECT count(DISTINCT message_id) FROM webhook_events") == 20)
        receiver.send(SIGTERM)
        try await rig.stop(worker)
    }

    @Test func theDestinationIsCheckedAgainWhenSendingAndARefusedOneGetsNoRequest() async throws {
        let rig = try await WebhookRig()
        let secret = WebhookRig.newSecret()
        let endpoint = try await rig.endpoint(secret: secret)
        let receiver = try await rig.receiver(secrets: [secret])
        // Registered while loopback was allowed; the operator has since turned it off.
        let worker = try rig.worker(["BILLPORT_WEBHOOKS_ALLOW_PRIVATE_DESTINATIONS": "false", "BILLPORT_WEBHOOKS_MAX_ATTEMPTS": "2"])
        let ping = try await rig.ping(endpoint)
        try await rig.waitUntil(ping, is: .failed)
        let delivery = try #require(try await rig.delivery(ping))
        #expect(delivery.lastError?.contains("destination refused") == true, "\(delivery.lastError ?? "")")
        #expect(delivery.lastError?.contains("loopback") == true)
        #expect(try rig.received().isEmpty, "no request reached the receiver")
        receiver.send(SIGTERM)
        try await rig.stop(worker)
    }

    @Test func a410DisablesTheEndpointAtOnceAndTellsItsAlertAddress() async throws {
        let rig = try await WebhookRig()
        let secret = WebhookRig.newSecret()
        let endpoint = try await rig.endpoint(secret: secret)
        let receiver = try await rig.receiver(secrets: [secret], extra: ["--status", "410"])
        let worker = try rig.worker()
        let ping = try await rig.ping(endpoint)
        try await rig.waitUntil(ping, is: .failed)
        let disabled = try #require(try await rig.stores.webhookEndpoints.webhookEndpoint(tenantID: rig.tenantID, id: endpoint))
        #expect(!disabled.enabled)
        #expect(disabled.disabledReason == .gone)
        #expect(try rig.received().count == 1, "no attempt after the 410")
        let mail = try await rig.sink.waitForMessages(1)
        #expect(mail[0].envelope.rcpt_tos == ["ops@acme.example"])
        #expect(try await ParsedMail.parse(mail[0].bytes).parts.compactMap(\.text).joined().contains("410 Gone"))
        receiver.send(SIGTERM)
        try await rig.stop(worker)
    }

    @Test func anEndpointWithoutAlertAddressTellsTheTenantsNotificationRecipientsWhenDisabled() async throws {
        let rig = try await WebhookRig()
        _ = try await rig.stores.tenants.updateNotificationSettings(
            tenantID: rig.tenantID, TenantNotificationSettings(recipients: ["billing@acme.example", "cfo@acme.example"]))
        let secret = WebhookRig.newSecret()
        let endpoint = try await rig.endpoint(secret: secret, alertEmail: nil)
        let receiver = try await rig.receiver(secrets: [secret], extra: ["--status", "410"])
        let worker = try rig.worker()
        let ping = try await rig.ping(endpoint)
        try await rig.waitUntil(ping, is: .failed)
        let mail = try await rig.sink.waitForMessages(1)
        #expect(mail[0].envelope.rcpt_tos.sorted() == ["billing@acme.example", "cfo@acme.example"])
        receiver.send(SIGTERM)
        try await rig.stop(worker)
    }

    @Test func aRunOfDeliveriesFailedForGoodDisablesTheEndpointAndTellsItsAlertAddress() async throws {
        let rig = try await WebhookRig()
        let secret = WebhookRig.newSecret()
        let endpoint = try await rig.endpoint(secret: secret)
        let receiver = try await rig.receiver(secrets: [secret], extra: ["--status", "503"])
        // Two attempts per delivery; the endpoint goes after two deliveries failed for good.
        let worker = try rig.worker(["BILLPORT_WEBHOOKS_MAX_ATTEMPTS": "2", "BILLPORT_WEBHOOKS_DISABLE_AFTER_FAILURES": "2"])
        let first = try await rig.ping(endpoint)
        try await rig.waitUntil(first, is: .failed)
        #expect(try await rig.stores.webhookEndpoints.webhookEndpoint(tenantID: rig.tenantID, id: endpoint)?.enabled == true)
        let second = try await rig.ping(endpoint)
        try await rig.waitUntil(second, is: .failed)
        let disabled = try #require(try await rig.stores.webhookEndpoints.webhookEndpoint(tenantID: rig.tenantID, id: endpoint))
        #expect(!disabled.enabled)
        #expect(disabled.disabledReason == .failing)
        #expect(try rig.received().count == 4)
        let mail = try await rig.sink.waitForMessages(1)
        #expect(mail[0].envelope.rcpt_tos == ["ops@acme.example"])
        #expect(try await ParsedMail.parse(mail[0].bytes).parts.compactMap(\.text).joined().contains("kept failing"))
        receiver.send(SIGTERM)
        try await rig.stop(worker)
    }
}

/// A database with a tenant, an SMTP sink, and helpers to run receivers and a worker.
struct WebhookRig {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let python = root.appendingPathComponent(".build/test-venv/bin/python").path
    static let script = root.appendingPathComponent("Tests/Python/webhook_receiver.py").path
    static var pythonHasStandardWebhooks: Bool {
        FileManager.default.isExecutableFile(atPath: python) && (try? Spawn.run(python, ["-c", "import standardwebhooks"]).status) == 0
    }

    let dir = TemporaryDirectory()
    let path: String
    let database: Database
    let stores: BillingStores
    let tenantID: Int64
    let sink: SMTPSink
    let port: Int

    init() async throws {
        path = dir.file("billport.sqlite")
        database = try Database(path: path)
        try Migrator.migrate(database, migrations: QueueSchema.migrations + SchedulerSchema.migrations + BillingSchema.migrations)
        stores = BillingStores.sqlite(jobs: SQLiteJobStore(database: database), clock: SystemClock())
        tenantID = try await BillingFixture(stores: stores).tenant.id
        sink = try await SMTPSink()
        port = try HTTPPort.free()
    }

    static func newSecret() -> String {
        "whsec_" + Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
    }

    func endpoint(secret: String, alertEmail: String? = "ops@acme.example") async throws -> Int64 {
        try await stores.webhookEndpoints.createWebhookEndpoint(
            tenantID: tenantID, WebhookEndpointFields(url: "http://127.0.0.1:\(port)/hooks", alertEmail: alertEmail), secret: secret).id
    }

    func ping(_ endpoint: Int64) async throws -> WebhookDelivery {
        try await stores.webhookEndpoints.sendTestEvent(tenantID: tenantID, endpointID: endpoint)
    }

    /// A receiver on `port` (the rig's port unless told), answering as `extra` says.
    func receiver(secrets: [String], port: Int? = nil, extra: [String] = []) async throws -> ChildProcess {
        let portFile = dir.file("receiver-\(UUID().uuidString).port")
        let process = try ChildProcess(Self.python, [Self.script, "--port", String(port ?? self.port), "--port-file", portFile, "--log", dir.file("received.jsonl")]
                                           + secrets.flatMap { ["--secret", $0] } + extra, directory: dir.path, name: "receiver-\(UUID().uuidString)")
        try await eventually(timeout: .seconds(20), "the receiver to listen") {
            guard process.isRunning else { throw ReceiverFailed(log: process.stderr) }
            return FileManager.default.fileExists(atPath: portFile)
        }
        return process
    }

    /// `billport worker` on the webhooks and mail queues, with short timeouts and retries.
    func worker(_ environment: [String: String] = [:]) throws -> ChildProcess {
        let base = ["BILLPORT_DATABASE_PATH": path, "BILLPORT_DATA_DIRECTORY": dir.path, "BILLPORT_LOG_LEVEL": "info",
                    "BILLPORT_WORKER_QUEUES": "webhooks=2,mail=1", "BILLPORT_SCHEDULER_ENABLED": "false",
                    "BILLPORT_WEBHOOKS_ALLOW_HTTP": "true", "BILLPORT_WEBHOOKS_ALLOW_PRIVATE_DESTINATIONS": "true",
                    "BILLPORT_WEBHOOKS_TIMEOUT": "1s", "BILLPORT_WEBHOOKS_CONNECT_TIMEOUT": "500ms",
                    "BILLPORT_WEBHOOKS_RETRY_BASE": "100ms", "BILLPORT_WEBHOOKS_RETRY_MAX": "400ms",
                    "BILLPORT_MAIL_TRANSPORT": "smtp", "BILLPORT_MAIL_URL": sink.url, "BILLPORT_MAIL_START_TLS": "off"]
        return try ChildProcess(ChildProcess.builtProduct("billport"), ["worker"], directory: dir.path,
                                environment: base.merging(environment) { $1 }, name: "worker")
    }

    func stop(_ worker: ChildProcess) async throws {
        worker.send(SIGTERM)
        #expect(try await worker.waitForExit(timeout: .seconds(30)) == 0, "\(worker.stderr)")
    }

    func delivery(_ delivery: WebhookDelivery) async throws -> WebhookDelivery? {
        try await stores.webhookEndpoints.webhookDeliveries(tenantID: tenantID, endpointID: delivery.endpointID, limit: 200, before: nil)
            .first { $0.id == delivery.id }
    }

    func waitUntil(_ delivery: WebhookDelivery, is state: WebhookDelivery.State) async throws {
        do {
            try await eventually(timeout: .seconds(40), "delivery \(delivery.id) to be \(state.rawValue)") {
                try await self.delivery(delivery)?.state == state
            }
        } catch {
            let jobs = try await database.read { db in
                try db.query("SELECT id, state, run_at, unique_key, attempts, last_error FROM jobs WHERE kind LIKE 'webhooks.%' ORDER BY id") { row in
                    "\(row.int64(0)) \(row.string(1)) \(row.int64(2)) \(row.optionalString(3) ?? "-") \(row.int(4)) \(row.optionalString(5) ?? "")"
                }
            }
            throw StateDump(what: "\(error)", delivery: "\(String(describing: try await self.delivery(delivery)))", jobs: jobs)
        }
    }

    /// What the database held when a wait gave up.
    struct StateDump: Error, CustomStringConvertible {
        let what: String
        let delivery: String
        let jobs: [String]
        var description: String { "\(what)\ndelivery: \(delivery)\njobs:\n" + jobs.joined(separator: "\n") }
    }

    func count(_ sql: String) async throws -> Int {
        try await database.read { db in try db.queryOne(sql) { $0.int(0) } ?? -1 }
    }

    /// One line per request the receivers got, in order.
    struct Received: Decodable {
        let id: String?
        let type: String?
        let verified: Bool
        let contentType: String?
        let answered: Answered

        /// A status code, or "stalled".
        struct Answered: Decodable, Equatable, CustomStringConvertible {
            let text: String
            init(from decoder: any Decoder) throws {
                let container = try decoder.singleValueContainer()
                if let status = try? container.decode(Int.self) { text = String(status) } else { text = try container.decode(String.self) }
            }
            var description: String { text }
        }
    }

    func received() throws -> [Received] {
        guard let text = try? String(contentsOfFile: dir.file("received.jsonl"), encoding: .utf8) else { return [] }
        return try text.split(separator: "\n").map { try JSONDecoder().decode(Received.self, from: Data($0.utf8)) }
    }

    struct ReceiverFailed: Error, CustomStringConvertible {
        let log: String
        var description: String { "the receiver stopped:\n\(log)" }
    }
}
