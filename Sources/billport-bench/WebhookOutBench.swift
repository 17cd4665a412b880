import Billing
import BillingStore
import BillportCore
import Foundation
import HTTPServer
import Queue
import Scheduler
import Relational
import SQLite
import Tokens

/// The `webhooks-out` group. `billport serve` with its defaults (API, workers with `webhooks=8`) delivers a backlog
/// of signed events to a receiver in this process: Billport's own HTTP server, which verifies
/// every signature with the endpoint's secret before answering 204 (a failed check is 400 and
/// stops the run). Once with one endpoint, once with eight. While it delivers, wrk measures
/// `GET /healthz` of the same serve process, compared with the same measurement while idle.
struct WebhookOutBench {
    let billport: String
    let directory: String
    var deliveries = 20_000
    static let wrkArguments = ["-t1", "-c16", "-d5s", "--latency"]

    func run(_ report: inout BenchReport) async throws {
        let wrk = try HTTPBench.executableInPath("wrk", hint: "install it with `apt-get install -y wrk`")
        // The defaults (deliveries paced at `webhooks.maxPerSecond`, 1,250/s, an access-log line
        // per request), then quiet logs, then the pace lifted too, to show what one process can
        // send and what that costs the API.
        for (endpoints, quiet, unpaced) in [(1, false, false), (8, false, false), (8, true, false), (8, true, true)] {
            let result = try await measure(endpoints: endpoints, quiet: quiet, unpaced: unpaced, wrk: wrk)
            let name = "webhooks-out.\(endpoints)ep" + (quiet ? ".quietlog" : "") + (unpaced ? ".unpaced" : "")
            let tuned = quiet || unpaced
            report.add("\(name).rps", result.rate, "dl/s", target: tuned ? "" : ">= 1000", meets: tuned ? nil : result.rate >= 1000)
            report.add("\(name).healthz_idle", result.idle, "req/s")
            report.add("\(name).healthz_delivering", result.busy, "req/s", target: tuned ? "" : ">= 80% of idle",
                       meets: tuned ? nil : result.busy >= 0.8 * result.idle)
        }
    }

    private func measure(endpoints: Int, quiet: Bool, unpaced: Bool, wrk: String) async throws -> (rate: Double, idle: Double, busy: Double) {
        let data = directory + "/webhooks-out-\(endpoints)" + (quiet ? "-quiet" : "") + (unpaced ? "-unpaced" : "")
        // Unpaced runs are faster: more deliveries keep them going past wrk's 5 s.
        let deliveries = unpaced ? 6 * self.deliveries : self.deliveries
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        let path = data + "/billport.sqlite"
        let secrets = (0..<endpoints).map { _ in WebhookSecret.generate() }
        let receiver = Receiver(secrets: secrets)
        let server = HTTPServer(configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0), handler: receiver.handle)
        let receiverPort = try server.start()
        defer { Task { await server.shutdown(gracePeriod: .milliseconds(100)) } }
        let (stores, tenantID, ids) = try await prepare(path: path, endpoints: endpoints, deliveries: deliveries,
                                                        receiverPort: receiverPort, secrets: secrets)

        var environment = HTTPBench.inheritedEnvironment()
        environment["BILLPORT_DATA_DIRECTORY"] = data
        environment["BILLPORT_DATABASE_PATH"] = path
        // As a user runs it: the default log level and worker queues (`webhooks=8`).
        environment["BILLPORT_SCHEDULER_ENABLED"] = "false"
        if quiet { environment["BILLPORT_LOG_LEVEL"] = "warning" }
        if unpaced { environment["BILLPORT_WEBHOOKS_MAX_PER_SECOND"] = "0" }
        environment["BILLPORT_WEBHOOKS_ALLOW_HTTP"] = "true"
        environment["BILLPORT_WEBHOOKS_ALLOW_PRIVATE_DESTINATIONS"] = "true"
        let port = try HTTPBench.freePort()
        environment["BILLPORT_HTTP_HOST"] = "127.0.0.1"
        environment["BILLPORT_HTTP_PORT"] = String(port)
        let serve = try await HTTPBench.Server.start(billport, ["serve"], environment: environment, port: port, log: data + "/serve.log")
        do {
            let healthz = "http://127.0.0.1:\(port)/healthz"
            // The first seconds after start are not idle (start-up work, cold caches): a warm-up
            // run of wrk first, so that the idle figure is the server's steady rate.
            _ = try Self.healthzRate(wrk, healthz, errorFile: data + "/wrk-warmup.stderr")
            let idle = try Self.healthzRate(wrk, healthz, errorFile: data + "/wrk-idle.stderr")
            // A ping per endpoint wakes its delivery run, which sends the backlog before it.
            for id in ids { _ = try await stores.webhookEndpoints.sendTestEvent(tenantID: tenantID, endpointID: id) }
            let total = deliveries + endpoints
            let started = ContinuousClock.now
            func check() throws {
                guard serve.process.isRunning, ContinuousClock.now - started < .seconds(300), receiver.refused == 0 else {
                    throw BenchFailure("\(receiver.count) of \(total) deliveries arrived, \(receiver.refused) refused (log: \(serve.log))")
                }
            }
            // The busy measurement starts with the first delivery (the worker finds the runs at its
            // next poll) and must end before the last one.
            while receiver.count == 0 {
                try check()
                try await Task.sleep(for: .milliseconds(5))
            }
            let busy = try await Task.detached { try Self.healthzRate(wrk, healthz, errorFile: data + "/wrk-busy.stderr") }.value
            guard receiver.count < total else { throw BenchFailure("the deliveries ended before wrk did; raise `deliveries`") }
            while receiver.count < total {
                try check()
                try await Task.sleep(for: .milliseconds(20))
            }
            let seconds = receiver.span
            await serve.stop()
            guard seconds > 0 else { throw BenchFailure("no time between the first and the last delivery") }
            return (Double(total - 1) / seconds, idle, busy)
        } catch {
            await serve.stop()
            throw error
        }
    }

    /// `GET /healthz` requests a second over 16 keep-alive connections for 5 s.
    static func healthzRate(_ wrk: String, _ url: String, errorFile: String) throws -> Double {
        let run = try HTTPBench.capture(wrk, wrkArguments + [url], environment: nil, errorFile: errorFile)
        guard run.status == 0 else { throw BenchFailure("wrk \(url) exited with \(run.status): \(run.errorText)") }
        return try HTTPBench.parseWrk(run.output).requestsPerSecond
    }

    /// A tenant with `endpoints` endpoints at the receiver and, for them together, `deliveries`
    /// pending deliveries of as many events (one endpoint each, round robin).
    private func prepare(path: String, endpoints: Int, deliveries: Int, receiverPort: Int, secrets: [WebhookSecret]) async throws
        -> (BillingStores, Int64, [Int64]) {
        let database = try Database(path: path)
        try Migrator.migrate(database, migrations: QueueSchema.migrations + SchedulerSchema.migrations + BillingSchema.migrations)
        let stores = BillingStores.sqlite(database: database)
        let tenant = try await stores.tenants.createTenant(slug: "bench", name: "Bench Ltd")
        var ids: [Int64] = []
        for (index, secret) in secrets.enumerated() {
            ids.append(try await stores.webhookEndpoints.createWebhookEndpoint(
                tenantID: tenant.id, WebhookEndpointFields(url: "http://127.0.0.1:\(receiverPort)/hooks/\(index)"), secret: secret.text).id)
        }
        try await database.write { [ids] db in
            let body = #"{"data":{"amountPaid":160752,"currency":"EUR","id":42,"number":"INV-42","status":"paid"},"timestamp":"2026-12-03T12:00:00.000Z","type":"invoice.paid"}"#
            for index in 0..<deliveries {
                let eventID = try db.insert("INSERT INTO webhook_events (tenant_id, message_id, type, body, created_at) VALUES (?, ?, 'invoice.paid', ?, 0)",
                                            tenant.id, "msg_bench_\(index)", body)
                try db.execute("""
                    INSERT INTO webhook_deliveries (tenant_id, endpoint_id, event_id, next_attempt_at, created_at) VALUES (?, ?, ?, 0, 0)
                    """, tenant.id, ids[index % ids.count], eventID)
            }
        }
        return (stores, tenant.id, ids)
    }

    /// Verifies each delivery with its endpoint's secret (`/hooks/<index>`) and counts it.
    final class Receiver: @unchecked Sendable {
        // Safety: the counters are only touched under `lock`.
        private let lock = NSLock()
        private let secrets: [WebhookSecret]
        private var verified = 0
        private var failed = 0
        private var first: ContinuousClock.Instant?
        private var last: ContinuousClock.Instant?

        init(secrets: [WebhookSecret]) { self.secrets = secrets }

        var count: Int { lock.withLock { verified } }
        var refused: Int { lock.withLock { failed } }
        /// Seconds from the first verified delivery to the last.
        var span: Double {
            lock.withLock {
                guard let first, let last else { return 0 }
                let (seconds, attoseconds) = (last - first).components
                return Double(seconds) + Double(attoseconds) / 1e18
            }
        }

        @Sendable func handle(_ request: HTTPRequest) async -> HTTPResponse {
            guard let index = request.path.split(separator: "/").last.flatMap({ Int($0) }), secrets.indices.contains(index),
                  let id = request.headers["webhook-id"], let timestamp = request.headers["webhook-timestamp"].flatMap({ Int64($0) }),
                  let signature = request.headers["webhook-signature"],
                  StandardWebhookSignature.verify(id: id, timestamp: timestamp, body: request.body, signatureHeader: signature, secret: secrets[index])
            else {
                lock.withLock { failed += 1 }
                return HTTPResponse(status: 400)
            }
            let now = ContinuousClock.now
            lock.withLock {
                verified += 1
                if first == nil { first = now }
                last = now
            }
            return HTTPResponse(status: 204)
        }
    }
}
