import Billing
import BillportCore
import Foundation
import HTTPClient
import Queue
import Tokens

extension JobHandlers {
    /// `webhooks.deliver` (one run per endpoint at a time, see `WebhookDeliveryStore`) and
    /// `webhooks.prune`.
    public mutating func registerWebhookDelivery(store: any WebhookDeliveryStore, settings: WebhookDeliverySettings,
                                                 resolver: any HostResolver = SystemHostResolver()) {
        let clients = WebhookClients(configuration: HTTPClientConfiguration(
            connectTimeout: settings.connectTimeout, timeout: settings.timeout, maxResponseBytes: WebhookDeliveryRule.maxResponseBytes,
            userAgent: "Billport-Webhooks/1", truncatesResponseBody: true))
        // One pace for the process: every endpoint's run takes its slots from it.
        let pace = SharedRatePace(perSecond: settings.maxPerSecond, burst: settings.batchSize)
        register(BillingJob.deliverWebhooks) { payload, context in
            try await WebhookDeliveryRun(store: store, settings: settings, resolver: resolver, client: try clients.client(for: payload.endpointId),
                                         pace: pace, context: context).run(payload)
        }
        register(BillingJob.pruneWebhookDeliveries) { _, context in
            let pruned = try await store.pruneWebhookDeliveries(before: context.clock.now().addingTimeInterval(-settings.retention.timeInterval))
            if pruned > 0 { context.logger.info("webhook deliveries pruned", ["deleted": "\(pruned)"]) }
        }
    }
}

/// One HTTP client (one curl handle, so one kept-alive connection) per endpoint; only one run
/// sends to an endpoint at a time, so a client is never shared between two sends.
final class WebhookClients: @unchecked Sendable {
    // Safety: `clients` is only touched under `lock`.
    private let lock = NSLock()
    private var clients: [Int64: HTTPClient] = [:]
    private let configuration: HTTPClientConfiguration
    private static let limit = 256

    init(configuration: HTTPClientConfiguration) { self.configuration = configuration }

    func client(for endpointID: Int64) throws -> HTTPClient {
        try lock.withLock {
            if let client = clients[endpointID] { return client }
            if clients.count >= Self.limit { clients.removeAll() }
            let client = try HTTPClient(configuration: configuration, label: "billport.webhooks")
            clients[endpointID] = client
            return client
        }
    }
}

/// One run of `webhooks.deliver`: while it holds the endpoint's lease, sends what is due in
/// batches and records each batch's attempts.
struct WebhookDeliveryRun {
    let store: any WebhookDeliveryStore
    let settings: WebhookDeliverySettings
    let resolver: any HostResolver
    let client: HTTPClient
    let pace: SharedRatePace
    let context: JobContext

    func run(_ payload: DeliverWebhooks) async throws {
        // The job's own id: a run given back at shutdown takes its lease again at once.
        let owner = "job:\(context.job.id)"
        let started = ContinuousClock.now
        while true {
            let batch: WebhookDeliveryBatch
            switch try await store.beginDeliveryBatch(tenantID: payload.tenantId, endpointID: payload.endpointId, owner: owner,
                                                      leaseUntil: leaseEnd(), limit: settings.batchSize) {
            case .batch(let found): batch = found
            case .closed: return
            case .held(let until):
                // Comes back when the lease runs out: if its holder died, this run takes over.
                throw JobError.snooze(.milliseconds(max(100, Int64(until.timeIntervalSince(context.clock.now()) * 1000) + 100)))
            }
            let attempts = await send(batch)
            for attempt in attempts { BillportMetrics.webhookDeliveries.labels("\(attempt.result)").increment() }
            let handOff = ContinuousClock.now - started > settings.runBudget || Task.isCancelled
            guard try await store.finishDeliveryBatch(tenantID: payload.tenantId, endpointID: payload.endpointId, owner: owner, attempts: attempts,
                                                      rule: settings.rule, leaseUntil: leaseEnd(), handOff: handOff) else { return }
        }
    }

    /// A batch sends for at most a second plus one request, so the lease outlasts it with room.
    private func leaseEnd() -> Date {
        context.clock.now().addingTimeInterval((settings.timeout + .seconds(20)).timeInterval)
    }

    private func send(_ batch: WebhookDeliveryBatch) async -> [WebhookAttempt] {
        let secrets = batch.secrets.compactMap(WebhookSecret.init)
        let destination: WebhookDestinationPolicy.Destination
        do {
            // Checked again now: the rule or the name's addresses may have changed since the
            // endpoint was registered; the connection is pinned to what this check approved.
            destination = try await settings.policy.check(batch.url, resolver: resolver)
        } catch {
            let reason = "destination refused: " + ((error as? FieldError).map { "url \($0.message)" } ?? "\(error)")
            return batch.items.map { WebhookAttempt(deliveryID: $0.deliveryID, result: .failed, status: nil, response: nil, error: reason,
                                                    durationMilliseconds: 0) }
        }
        let pin = HTTPClientRequest.PinnedAddresses(host: destination.host, port: destination.port, addresses: destination.addresses)
        // The whole batch runs on the client's own queue, paced by sleeping that thread: per
        // 10 ms of slots one wake-up for the pace, per delivery one for the answer, and no hops
        // between threads: each wake-up is a context switch the API's event loop pays for.
        let (items, url, clock, pace) = (batch.items, batch.url, context.clock, self.pace)
        return await client.withSession { session in
            let batchStart = ContinuousClock.now
            var attempts: [WebhookAttempt] = []
            var slots = 0
            for item in items {
                if !attempts.isEmpty, ContinuousClock.now - batchStart > .seconds(1) { break }
                if slots == 0 {
                    slots = min(pace.slotsPerWait, items.count - attempts.count)
                    pace.waitBlocking(count: slots)
                }
                slots -= 1
                let attempt = Self.send(item, url: url, pin: pin, secrets: secrets, now: clock.now(), session: session)
                attempts.append(attempt)
                if attempt.result == .gone { break }
            }
            return attempts
        }
    }

    private static func send(_ item: WebhookDeliveryBatch.Item, url: String, pin: HTTPClientRequest.PinnedAddresses,
                             secrets: [WebhookSecret], now: Date, session: HTTPClientSession) -> WebhookAttempt {
        let timestamp = Int64(now.timeIntervalSince1970)
        var headers: HTTPHeaders = ["Content-Type": "application/json"]
        for (name, value) in StandardWebhookSignature.headers(id: item.messageID, timestamp: timestamp, body: item.body, secrets: secrets) {
            headers.add(name, value)
        }
        let request = HTTPClientRequest(method: .post, url: url, headers: headers, body: item.body, pinnedAddresses: pin)
        let sent = ContinuousClock.now
        func elapsed() -> Int { Int((ContinuousClock.now - sent).milliseconds) }
        do {
            let response = try session.send(request)
            return WebhookAttempt(deliveryID: item.deliveryID, result: WebhookDeliveryRule.result(status: response.status), status: response.status,
                                  response: String(decoding: response.body, as: UTF8.self), error: nil, durationMilliseconds: elapsed())
        } catch {
            return WebhookAttempt(deliveryID: item.deliveryID, result: .failed, status: nil, response: nil, error: error.description,
                                  durationMilliseconds: elapsed())
        }
    }
}
