import Billing
import BillingFixtures
import BillingStore
import Foundation
import TestSupport
import Testing

/// Writes that race, on the selected backend: what SQLite's single writer gives for free,
/// PostgreSQL's serializable transactions (run again when they cannot be ordered) must give too.
@Suite struct ConcurrentWriteTests {
    let temp: BillingTestDatabase
    var stores: BillingStores { temp.stores }

    init() throws {
        temp = try BillingTestDatabase()
    }

    @Test func racingSignUpsForOneSlugMakeOneTenantAndTellTheOthersItIsTaken() async throws {
        let stores = self.stores
        let outcomes = await withTaskGroup(of: String.self) { group in
            for n in 0..<6 {
                group.addTask {
                    do { return "created \(try await stores.tenants.createTenant(slug: "acme", name: "Acme \(n)").slug)" } catch let error as BillingError {
                        return error == .conflict(code: "slug_taken", message: "a tenant with slug acme exists") ? "taken" : "\(error)"
                    } catch { return "\(error)" }
                }
            }
            return await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(outcomes.sorted() == ["created acme"] + Array(repeating: "taken", count: 5))
    }

    @Test func racingShareRequestsGiveOneActiveLink() async throws {
        let acme = try await BillingFixture(stores: stores)
        _ = try await stores.invoices.issue(tenantID: acme.tenant.id, id: acme.invoice.id)
        let stores = self.stores
        let fresh = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<6 {
                group.addTask { try await stores.links.share(tenantID: acme.tenant.id, invoiceID: acme.invoice.id, regenerate: false).token != nil }
            }
            return try await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
        }
        #expect(fresh == 1)
        let active = try await temp.database.read { db in
            try db.queryOne("SELECT count(*) FROM links WHERE invoice_id = ? AND kind = 'share' AND revoked_at IS NULL", acme.invoice.id) { $0.int(0) }
        }
        #expect(active == 1)
    }
}
