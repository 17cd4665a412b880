import Billing
import Foundation
import Relational
import SQLite

extension SQLStore {
    /// Records an event about invoice `invoiceID` whose `data` is the invoice as it stands now in
    /// this transaction (as `GET /api/invoices/{id}` shows it; with its payments when
    /// `withPayments`, for the payment events).
    func recordInvoiceEvent(_ db: any SQLConnection, tenantID: Int64, invoiceID: Int64, type: WebhookEventType, withPayments: Bool = false) throws {
        guard let invoice = try Self.invoice(db, tenantID: tenantID, id: invoiceID) else { throw BillingError.notFound("invoice") }
        var data = InvoiceRepresentation(invoice)
        if withPayments { data.payments = try Self.payments(db, tenantID: tenantID, invoiceID: invoiceID).map(PaymentRepresentation.init) }
        try recordEvent(db, tenantID: tenantID, customerID: invoice.customerID, type: type, data: data)
    }
}
