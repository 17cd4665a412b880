import Billing
import BillportCore
import Foundation
import Relational
import SQLite

/// Reading and writing rows that several stores need inside their own transactions.
extension SQLStore {

    static func customer(_ db: any SQLConnection, tenantID: Int64, id: Int64) throws -> Customer? {
        try db.queryOne("""
            SELECT \(customerColumns) FROM customers WHERE tenant_id = ? AND id = ?
            """, tenantID, id, map: customerRow)
    }

    /// The columns `customerRow` reads, in its order.
    static var customerColumns: String {
        "id, name, email, pref_document, pref_reminder, pref_marketing, created_at, erased_at, address_lines, postal_code, city, country, vat_id, buyer_reference"
    }

    static func customerRow(_ row: any SQLRow) -> Customer {
        Customer(id: row.int64(0), name: row.string(1), email: row.string(2),
                 preferences: .init(document: row.bool(3), reminder: row.bool(4), marketing: row.bool(5)), createdAt: row.date(6),
                 erasedAt: row.optionalDate(7),
                 details: BuyerDetails(address: address(row, from: 8), vatID: row.optionalString(12).map(VATIdentifier.init(stored:)),
                                       buyerReference: row.optionalString(13)))
    }

    /// The address in the four columns from `index` (lines, postal code, city, country); nil when none is stored.
    static func address(_ row: any SQLRow, from index: Int32) -> PostalAddress? {
        guard let lines = row.optionalString(index), let city = row.optionalString(index + 2),
              let country = row.optionalString(index + 3).flatMap(CountryCode.init) else { return nil }
        return PostalAddress(lines: lines.split(separator: "\n").map(String.init), postalCode: row.optionalString(index + 1), city: city,
                             country: country)
    }

    /// The four address columns' values, in `address(_:from:)`'s order.
    static func addressValues(_ address: PostalAddress?) -> [any SQLValueConvertible] {
        [address?.lines.joined(separator: "\n"), address?.postalCode, address?.city, address?.country.code]
    }


    /// Writes the lines of an invoice (`table` invoice_lines, keyed by invoice_id) or of a credit note
    /// (credit_note_lines, keyed by credit_note_id).
    static func insertLines(_ db: any SQLConnection, into table: LineTable = .invoice, ownerID: Int64, _ lines: [InvoiceLine]) throws {
        for (position, line) in lines.enumerated() {
            try db.execute("""
                INSERT INTO \(table.rawValue) (\(table.ownerColumn), position, description, quantity, unit_price, tax_rate, net, unit_code,
                    vat_category, exemption_reason)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, ownerID, position, line.description, line.quantity.tenThousandths, line.unitPrice,
                line.taxRate.hundredthsOfPercent, line.net, line.unitCode.code, line.vatCategory.rawValue, line.exemptionReason)
        }
    }

    /// The lines of an invoice or a credit note, in order.
    static func lines(_ db: any SQLConnection, from table: LineTable = .invoice, ownerID: Int64) throws -> [InvoiceLine] {
        try db.query("""
            SELECT description, quantity, unit_price, tax_rate, net, unit_code, vat_category, exemption_reason
            FROM \(table.rawValue) WHERE \(table.ownerColumn) = ? ORDER BY position
            """, ownerID) { row in
            InvoiceLine(description: row.string(0), quantity: Quantity(tenThousandths: row.int64(1)), unitPrice: row.int64(2),
                        taxRate: TaxRate(hundredthsOfPercent: row.int64(3)), net: row.int64(4), unitCode: UnitCode(stored: row.string(5)),
                        vatCategory: VATCategory(rawValue: row.string(6)), exemptionReason: row.optionalString(7))
        }
    }

    static func insertAllowanceCharges(_ db: any SQLConnection, invoiceID: Int64, _ entries: [AllowanceCharge]) throws {
        for (position, entry) in entries.enumerated() {
            try db.execute("""
                INSERT INTO invoice_allowance_charges (invoice_id, position, kind, amount, reason, vat_category, tax_rate)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, invoiceID, position, entry.kind.rawValue, entry.amount, entry.reason, entry.vatCategory.rawValue,
                entry.taxRate.hundredthsOfPercent)
        }
    }


    static func invoice(_ db: any SQLConnection, tenantID: Int64, id: Int64) throws -> Invoice? {
        guard let head = try db.queryOne("""
            SELECT id, public_id, customer_id, type, number, status, delivery_status, currency, issue_date, due_date, notes,
                   allow_partial_payments, minimum_payment_amount, subtotal, tax_total, total, amount_paid, created_at, issued_at,
                   amount_credited, supply_date, service_start, service_end, payment_terms, allowance_total, charge_total, parties
            FROM invoices WHERE tenant_id = ? AND id = ?
            """, tenantID, id, map: { row in
                (id: row.int64(0), publicID: row.string(1), customerID: row.int64(2), type: InvoiceType(rawValue: row.string(3)) ?? .ar,
                 number: row.string(4), status: InvoiceStatus(rawValue: row.string(5)) ?? .draft,
                 delivery: DeliveryStatus(rawValue: row.string(6)) ?? .notSent, currency: Currency(code: row.string(7)),
                 issueDate: CalendarDate(parsing: row.string(8)), dueDate: CalendarDate(parsing: row.string(9)),
                 notes: row.optionalString(10), partial: row.bool(11), minimum: row.optionalInt64(12), subtotal: row.int64(13),
                 taxTotal: row.int64(14), total: row.int64(15), paid: row.int64(16), createdAt: row.date(17), issuedAt: row.optionalDate(18),
                 credited: row.int64(19), supplyDate: row.optionalString(20).flatMap(CalendarDate.init(parsing:)),
                 serviceStart: row.optionalString(21).flatMap(CalendarDate.init(parsing:)),
                 serviceEnd: row.optionalString(22).flatMap(CalendarDate.init(parsing:)), paymentTerms: row.optionalString(23),
                 allowanceTotal: row.int64(24), chargeTotal: row.int64(25),
                 parties: row.optionalString(26).flatMap { try? JSONDecoder().decode(InvoiceParties.self, from: Data($0.utf8)) })
            }) else { return nil }
        guard let currency = head.currency, let issueDate = head.issueDate, let dueDate = head.dueDate else {
            throw UnreadableRow("invoice \(id) holds an unreadable currency or date")
        }
        let lines = try lines(db, ownerID: id)
        let allowanceCharges = try db.query("""
            SELECT kind, amount, reason, vat_category, tax_rate FROM invoice_allowance_charges WHERE invoice_id = ? ORDER BY position
            """, id) { row in
            AllowanceCharge(kind: AllowanceCharge.Kind(rawValue: row.string(0)) ?? .allowance, amount: row.int64(1), reason: row.string(2),
                            vatCategory: VATCategory(rawValue: row.string(3)) ?? .standard, taxRate: TaxRate(hundredthsOfPercent: row.int64(4)))
        }
        let taxes = InvoiceMath.taxes(for: lines, allowanceCharges: allowanceCharges, step: currency.amountStep)
        let supply: SupplyTime? = if let day = head.supplyDate { .date(day) } else if let start = head.serviceStart, let end = head.serviceEnd {
            .period(start: start, end: end)
        } else { nil }
        return Invoice(id: head.id, publicID: head.publicID, customerID: head.customerID, type: head.type, number: head.number,
                       status: head.status, deliveryStatus: head.delivery, currency: currency, issueDate: issueDate, dueDate: dueDate,
                       notes: head.notes, allowPartialPayments: head.partial, minimumPaymentAmount: head.minimum, lines: lines,
                       allowanceCharges: allowanceCharges,
                       totals: InvoiceTotals(subtotal: head.subtotal, allowanceTotal: head.allowanceTotal, chargeTotal: head.chargeTotal,
                                             taxes: taxes, taxTotal: head.taxTotal, total: head.total),
                       supply: supply, paymentTerms: head.paymentTerms, parties: head.parties, amountPaid: head.paid, amountCredited: head.credited, createdAt: head.createdAt, issuedAt: head.issuedAt)
    }


    static func paymentSettings(_ db: any SQLConnection, tenantID: Int64) throws -> PaymentSettings {
        let plan = try db.queryOne("SELECT plan FROM tenants WHERE id = ?", tenantID) { Plan(rawValue: $0.string(0)) ?? .free } ?? .free
        let keys = try db.queryOne("SELECT secret_key, webhook_secrets FROM tenant_payment_settings WHERE tenant_id = ?", tenantID) {
            (key: $0.optionalString(0), secrets: (try? JSONDecoder().decode([String].self, from: Data($0.string(1).utf8))) ?? [])
        }
        return PaymentSettings(plan: plan, secretKey: keys?.key, webhookSecrets: keys?.secrets ?? [])
    }


    static func payments(_ db: any SQLConnection, tenantID: Int64, invoiceID: Int64) throws -> [PaymentRecord] {
        try db.query("""
            SELECT p.id, p.invoice_id, p.session_id, p.payment_intent, p.amount, p.currency, p.state,
                   COALESCE((SELECT SUM(r.refunded_total) FROM charge_refunds r
                             WHERE r.payment_intent = p.payment_intent AND r.tenant_id = p.tenant_id), 0),
                   p.excess, p.created_at, p.updated_at
            FROM payments p WHERE p.tenant_id = ? AND p.invoice_id = ? ORDER BY p.id
            """, tenantID, invoiceID) { row in
            PaymentRecord(id: row.int64(0), invoiceID: row.int64(1), sessionID: row.string(2), paymentIntent: row.optionalString(3),
                          amount: row.int64(4), currency: row.string(5), state: PaymentState(rawValue: row.string(6)) ?? .pending,
                          refunded: row.int64(7), excess: row.int64(8), createdAt: row.date(9), updatedAt: row.date(10))
        }
    }


    static func portalSettings(_ db: any SQLConnection, tenantID: Int64) throws -> CustomerPortalSettings {
        try db.queryOne("""
            SELECT portal_enabled, portal_token_days, portal_show_credit_notes, portal_show_statement, portal_welcome_message,
                portal_show_sales_orders, portal_allow_messages
            FROM tenants WHERE id = ?
            """, tenantID) {
            CustomerPortalSettings(enabled: $0.bool(0), tokenExpiryDays: $0.int(1), showCreditNotes: $0.bool(2), showStatement: $0.bool(3),
                           showSalesOrders: $0.bool(5), allowMessages: $0.bool(6), welcomeMessage: $0.optionalString(4))
        } ?? CustomerPortalSettings()
    }


    static func branding(_ db: any SQLConnection, tenantID: Int64) throws -> Branding {
        try db.queryOne("SELECT brand_color, logo, page_size, payment_instructions FROM tenants WHERE id = ?", tenantID) { row in
            Branding(brandColor: row.optionalString(0), logo: row.isNull(1) ? nil : row.blob(1),
                     pageSize: Branding.PageSize(rawValue: row.string(2)) ?? .a4, paymentInstructions: row.optionalString(3))
        } ?? Branding()
    }
}

/// Where lines are kept.
enum LineTable: String {
    case invoice = "invoice_lines"
    case creditNote = "credit_note_lines"

    var ownerColumn: String { self == .invoice ? "invoice_id" : "credit_note_id" }
}
