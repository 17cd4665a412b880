import BillportCore
import Foundation
import Billing
import BillingFixtures
@testable import BillingStore
import Queue
import Relational
import SQLite
import TestSupport
import Testing

/// The delivery lease: one run per endpoint, nothing recorded meanwhile left without a run,
/// a dead holder replaced once its lease runs out, and the retry schedule in the rows.
@Suite struct WebhookDeliveryStoreTests {
    struct Rig {
        let temp: BillingTestDatabase
        let clock = ManualClock()
        var stores: BillingStores { temp.stores }
        let tenant: Int64
        let endpoint: Int64

        init() async throws {
            temp = try BillingTestDatabase(clock: clock)
            tenant = try await BillingFixture(stores: temp.stores).tenant.id
            endpoint = try await temp.stores.webhookEndpoints.createWebhookEndpoint(
                tenantID: tenant, WebhookEndpointFields(url: "https://erp.example.com/hooks"), secret: "whsec_" + Data(count: 32).base64EncodedString()).id
        }

        func begin(_ owner: String) async throws -> WebhookDeliveryStart {
            try await stores.webhookEndpoints.beginDeliveryBatch(tenantID: tenant, endpointID: endpoint, owner: owner,
                                                                 leaseUntil: clock.now().addingTimeInterval(30), limit: 10)
        }

        func finish(_ owner: String, _ attempts: [WebhookAttempt], rule: WebhookDeliveryRule = WebhookDeliveryRule()) async throws -> Bool {
            try await stores.webhookEndpoints.finishDeliveryBatch(tenantID: tenant, endpointID: endpoint, owner: owner, attempts: attempts,
                                                                  rule: rule, leaseUntil: clock.now().addingTimeInterval(30), handOff: false)
        }

        func deliverJobs() async throws -> Int {
            try await temp.database.read { db in try db.queryOne("SELECT count(*) FROM jobs WHERE kind = 'webhooks.deliver'") { $0.int(0) } ?? 0 }
        }
    }

    @Test func anEventRecordedWhileARunHoldsTheLeaseIsSentByThatRun() async throws {
        let rig = try await Rig()
        let first = try await rig.stores.webhookEndpoints.sendTestEvent(tenantID: rig.tenant, endpointID: rig.endpoint)
        #expect(try await rig.deliverJobs() == 1)
        guard case .batch(let batch) = try await rig.begin("job:1") else { Issue.record("no batch"); return }
        #expect(batch.items.map(\.deliveryID) == [first.id])
        // Another run finds the lease held; a new event queues no run of its own.
        guard case .held = try await rig.begin("job:2") else { Issue.record("the lease was not held"); return }
        let second = try await rig.stores.webhookEndpoints.sendTestEvent(tenantID: rig.tenant, endpointID: rig.endpoint)
        #expect(try await rig.deliverJobs() == 1)
        let delivered = WebhookAttempt(deliveryID: first.id, result: .delivered, status: 204, response: "", error: nil, durationMilliseconds: 1)
        #expect(try await rig.finish("job:1", [delivered]), "the holder carries on: the new delivery is due")
        guard case .batch(let next) = try await rig.begin("job:1") else { Issue.record("no batch"); return }
        #expect(next.items.map(\.deliveryID) == [second.id])
    }

    @Test func aDeadHoldersLeaseRunsOutAndTheNextRunTakesOver() async throws {
        let rig = try await Rig()
        _ = try await rig.stores.webhookEndpoints.sendTestEvent(tenantID: rig.tenant, endpointID: rig.endpoint)
        guard case .batch = try await rig.begin("job:1") else { Issue.record("no batch"); return }
        guard case .held(let until) = try await rig.begin("job:2") else { Issue.record("the lease was not held"); return }
        #expect(until == rig.clock.now().addingTimeInterval(30))
        rig.clock.advance(by: .seconds(31))
        guard case .batch(let batch) = try await rig.begin("job:2") else { Issue.record("no takeover"); return }
        #expect(batch.items.count == 1)
    }

    @Test func aFailedAttemptWaitsForItsRetryAndTheLastOneFailsTheDelivery() async throws {
        let rig = try await Rig()
        let ping = try await rig.stores.webhookEndpoints.sendTestEvent(tenantID: rig.tenant, endpointID: rig.endpoint)
        let rule = WebhookDeliveryRule(retry: RetryPolicy(base: .seconds(60), maximum: .seconds(60), jitter: 0), maxAttempts: 2, disableAfterFailures: 1)
        let failed = WebhookAttempt(deliveryID: ping.id, result: .failed, status: 500, response: String(repeating: "e", count: 10), error: nil,
                                    durationMilliseconds: 3)
        _ = try await rig.begin("job:1")
        #expect(try await rig.finish("job:1", [failed], rule: rule) == false, "nothing due until the retry")
        var log = try await rig.stores.webhookEndpoints.webhookDeliveries(tenantID: rig.tenant, endpointID: rig.endpoint, limit: 10, before: nil)
        #expect(log[0].state == .pending && log[0].attempts == 1 && log[0].lastStatus == 500 && log[0].lastDurationMilliseconds == 3)
        #expect(log[0].nextAttemptAt == rig.clock.now().addingTimeInterval(60))
        #expect(try await rig.deliverJobs() == 2, "a run is queued for the retry")
        rig.clock.advance(by: .seconds(60))
        guard case .batch(let batch) = try await rig.begin("job:3") else { Issue.record("no batch"); return }
        #expect(batch.items.map(\.deliveryID) == [ping.id])
        #expect(try await rig.finish("job:3", [failed], rule: rule) == false)
        log = try await rig.stores.webhookEndpoints.webhookDeliveries(tenantID: rig.tenant, endpointID: rig.endpoint, limit: 10, before: nil)
        #expect(log[0].state == .failed && log[0].attempts == 2 && log[0].nextAttemptAt == nil)
        let endpoint = try #require(try await rig.stores.webhookEndpoints.webhookEndpoint(tenantID: rig.tenant, id: rig.endpoint))
        #expect(!endpoint.enabled && endpoint.disabledReason == .failing)
        #expect(try await rig.temp.database.read { db in
            try db.queryOne("SELECT count(*) FROM jobs WHERE kind = 'webhooks.disabled'") { $0.int(0) } } == 1)
    }

    @Test func anEventGoesToEachEnabledEndpointThatWantsItAndToNoOther() async throws {
        let rig = try await Rig()
        let endpoints = rig.stores.webhookEndpoints
        let secret = "whsec_" + Data(count: 32).base64EncodedString()
        func make(_ types: [WebhookEventType]?, enabled: Bool = true) async throws -> Int64 {
            try await endpoints.createWebhookEndpoint(tenantID: rig.tenant, WebhookEndpointFields(url: "https://erp.example.com/x", eventTypes: .some(types),
                                                                                               enabled: enabled), secret: secret).id
        }
        let paid = try await make([.invoicePaid, .invoiceIssued]), viewed = try await make([.invoiceViewed])
        let off = try await make(nil, enabled: false)
        let store = try #require(endpoints as? SQLWebhookEndpointStore)
        let event = try await rig.temp.database.write { db in try store.recordEvent(db, tenantID: rig.tenant, customerID: nil, type: .invoicePaid, data: ["id": 42]) }
        let rows = try await rig.temp.database.read { db in
            try db.query("SELECT endpoint_id FROM webhook_deliveries WHERE event_id = ? ORDER BY endpoint_id", event.rowID) { $0.int64(0) }
        }
        #expect(rows == [rig.endpoint, paid], "the rig's endpoint takes every type; \(viewed) and \(off) get nothing")
        #expect(try await rig.deliverJobs() == 2, "one run queued per endpoint")
    }

    @Test func pruningDeletesOldFinishedDeliveriesAndTheirEventsButKeepsPendingOnes() async throws {
        let rig = try await Rig()
        let endpoints = rig.stores.webhookEndpoints
        let done = try await endpoints.sendTestEvent(tenantID: rig.tenant, endpointID: rig.endpoint)
        let waiting = try await endpoints.sendTestEvent(tenantID: rig.tenant, endpointID: rig.endpoint)
        _ = try await rig.begin("job:1")
        _ = try await rig.finish("job:1", [WebhookAttempt(deliveryID: done.id, result: .delivered, status: 200, response: nil, error: nil,
                                                          durationMilliseconds: 1)])
        rig.clock.advance(by: .seconds(31 * 86_400))
        let fresh = try await endpoints.sendTestEvent(tenantID: rig.tenant, endpointID: rig.endpoint)
        #expect(try await endpoints.pruneWebhookDeliveries(before: rig.clock.now().addingTimeInterval(-30 * 86_400)) == 2)
        let left = try await endpoints.webhookDeliveries(tenantID: rig.tenant, endpointID: rig.endpoint, limit: 10, before: nil)
        #expect(left.map(\.id) == [fresh.id, waiting.id])
        #expect(try await rig.temp.database.read { db in try db.queryOne("SELECT count(*) FROM webhook_events") { $0.int(0) } } == 2)
    }
}
