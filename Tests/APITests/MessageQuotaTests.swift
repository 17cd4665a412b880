import BillportCore
import Foundation
import Billing
import BillingFixtures
import BillingStore
import TestSupport
import Testing

/// A customer cannot fill the tenant's inbox: at most 20 portal messages in any 24 hours.
@Suite struct MessageQuotaTests {
    func portalToken(_ h: APIHarness, _ tenant: APIHarness.Tenant, customer: Int64) async throws -> String {
        try #require(try await h.send("POST", "/api/customers/\(customer)/portal-token", token: tenant.token).json["token"] as? String)
    }

    @Test func aCustomerOverTheDailyMessageQuotaGets429AndNothingIsStored() async throws {
        let h = try APIHarness()
        let acme = try await h.tenant("acme")
        _ = try await h.send("PUT", "/api/settings/portal", token: acme.token, json: ["allowMessages": true])
        let token = try await portalToken(h, acme, customer: acme.customerID)
        for n in 1...MessageQuota().perDay {
            let sent = try await h.send("POST", "/api/portal/\(token)/messages", json: ["message": "question \(n)"])
            #expect(sent.status == 201)
        }

        let refused = try await h.send("POST", "/api/portal/\(token)/messages", json: ["message": "one too many"])
        #expect(refused.status == 429)
        #expect(refused.errorCode == "message_quota_exceeded")
        #expect((refused.json["error"] as? [String: Any])?["message"] as? String
                == "You have sent 20 messages in the last 24 hours, the most this portal takes. Please try again later.")
        let retryAfter = try #require(refused.header("Retry-After").flatMap(Int.init))
        #expect((86_300...86_400).contains(retryAfter), "the first message frees its place a day after it was sent (got \(retryAfter))")

        // The HTML form says so in words, with the same status.
        let form = try await h.send("POST", "/portal/\(token)/messages", rawBody: "message=still+there%3F",
                                    headers: ["Content-Type": "application/x-www-form-urlencoded"], followRedirects: false)
        #expect(form.status == 429)
        #expect(form.header("Content-Type") == "text/html; charset=utf-8")
        #expect(form.text.contains("Your message was not sent"))
        #expect(form.text.contains("You have sent 20 messages in the last 24 hours"))
        #expect(form.header("Retry-After") != nil)

        let inbox = try #require(try await h.send("GET", "/api/messages", token: acme.token).json["data"] as? [[String: Any]])
        #expect(inbox.count == 20)
        #expect(!inbox.contains { ($0["message"] as? String) == "one too many" || ($0["message"] as? String) == "still there?" })

        // The quota is the customer's: another customer of the tenant still writes.
        let other = try await h.stores.customers.createCustomer(tenantID: try #require(try await h.stores.tenants.tenant(slug: "acme")).id,
                                                     name: "Other Buyer", email: "other@acme.example", preferences: .init())
        let otherToken = try await portalToken(h, acme, customer: other.id)
        #expect(try await h.send("POST", "/api/portal/\(otherToken)/messages", json: ["message": "hello"]).status == 201)
        await h.stop()
    }

    @Test func theQuotaFreesAPlaceWhenTheOldestMessageOfTheDayLeavesTheWindow() async throws {
        let clock = ManualClock()
        let temp = try TemporaryDatabase(migrations: BillingSchema.migrations)
        let stores = BillingStores.sqlite(database: temp.database, clock: clock)
        let fixture = try await BillingFixture(stores: stores)
        var settings = try await stores.tenants.portalSettings(tenantID: fixture.tenant.id)
        settings.allowMessages = true
        _ = try await stores.tenants.updatePortalSettings(tenantID: fixture.tenant.id, settings)
        let quota = MessageQuota(perDay: 2)
        func leave() async throws { _ = try await stores.salesOrders.addCustomerMessage(tenantID: fixture.tenant.id, customerID: fixture.customer.id, text: "hi", quota: quota) }
        try await leave()
        clock.advance(by: .seconds(3600))
        try await leave()
        clock.advance(by: .seconds(3600))
        await #expect(throws: MessageQuotaExceeded(bound: .perDay, limit: 2, retryAfter: .seconds(22 * 3600))) { try await leave() }
        clock.advance(by: .seconds(22 * 3600 + 1))
        try await leave()
    }

    @Test func unreadMessagesAreBoundedPerCustomerAndReadingFreesAPlace() async throws {
        let temp = try TemporaryDatabase(migrations: BillingSchema.migrations)
        let stores = BillingStores.sqlite(database: temp.database)
        let fixture = try await BillingFixture(stores: stores)
        var settings = try await stores.tenants.portalSettings(tenantID: fixture.tenant.id)
        settings.allowMessages = true
        _ = try await stores.tenants.updatePortalSettings(tenantID: fixture.tenant.id, settings)
        let quota = MessageQuota(perDay: 100, unread: 3)
        func leave() async throws -> CustomerMessage {
            try await stores.salesOrders.addCustomerMessage(tenantID: fixture.tenant.id, customerID: fixture.customer.id, text: "hi", quota: quota)
        }
        let first = try await leave()
        for _ in 0..<2 { _ = try await leave() }
        await #expect(throws: MessageQuotaExceeded(bound: .unread, limit: 3, retryAfter: .seconds(86_400))) { _ = try await leave() }
        #expect(try await stores.salesOrders.customerMessages(tenantID: fixture.tenant.id, unreadOnly: false, limit: 100).count == 3)
        try await stores.salesOrders.markMessageRead(tenantID: fixture.tenant.id, id: first.id)
        _ = try await leave()
    }
}
