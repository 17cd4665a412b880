import Billing
import Foundation

/// A tenant "acme" with one customer and one draft invoice of 1.00 EUR, for store-level tests.
public struct BillingFixture: Sendable {
    public let tenant: Tenant
    public let customer: Customer
    public let invoice: Invoice

    public init(stores: BillingStores) async throws {
        tenant = try await stores.tenants.createTenant(slug: "acme", name: "Acme")
        customer = try await stores.customers.createCustomer(tenantID: tenant.id, name: "Zoë", email: "z@example.com", preferences: .init())
        let request = try JSONDecoder().decode(CreateInvoiceRequest.self, from: Data("""
            {"customerId": \(customer.id), "number": "A-1", "currency": "EUR", "issueDate": "2026-11-01", "dueDate": "2026-12-01",
             "lines": [{"description": "x", "quantity": 1, "unitPrice": 100}]}
            """.utf8))
        invoice = try await stores.invoices.createInvoice(tenantID: tenant.id, draft: try InvoiceDraft.validate(request))
    }
}
