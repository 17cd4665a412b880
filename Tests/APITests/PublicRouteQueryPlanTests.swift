import Foundation
import Relational
import SQLite
import TestSupport
import Testing
import Tokens

/// Every query the public routes run uses an index on the tables that grow with a tenant's
/// history: the routes are driven for real over a database with thousands of invoices (and
/// their lines, links, payments, emails, views…) across tenants and customers, then the plan of
/// every statement the process prepared is read back.
@Suite(.serialized, .enabled(if: TestBackend.selected == .sqlite, "SQLite query plans: runs in the SQLite pass")) struct PublicRouteQueryPlanTests {
    static let growing: Set<String> = [
        "invoices", "invoice_lines", "links", "views", "payments", "credit_notes", "email_log", "customers", "checkout_sessions",
        "provider_events", "customer_messages", "sales_orders", "payment_audit", "pdf_cache",
    ]

    /// Plans that scan a growing table on purpose, each with the reason it stays cheap.
    static let allowed: [(sqlContains: String, reason: String)] = [
        ("SELECT (SELECT count(*) FROM provider_events WHERE applied_at IS NULL)", "PaymentRig's own wait for the events, no route's"),
        // With a trigger on `invoices` an insert may write several rows, so SQLite plans the scan
        // of child rows (links, checkouts) that a new parent key could adopt; it runs only while
        // a foreign-key violation is pending in the statement, which never happens here.
        ("INSERT INTO invoices (", "the children scan of the foreign-key check never runs"),
    ]

    @Test func everyPublicRouteQueryUsesAnIndexOnAFullDatabase() async throws {
        let rig = try await PaymentRig()
        let h = rig.api
        let acme = rig.tenant
        try Self.fill(h.temp.sqlite!, tenantSlug: acme.slug, customerID: acme.customerID)

        // The share link: page, JSON view, both PDFs, pay, the provider's event, confirmation, the paid guest's PDF.
        let shared = try await rig.invoice(number: "PLAN-1", partial: true)
        #expect(try await h.send("GET", "/invoice/\(shared.token)").status == 200)
        #expect(try await h.send("GET", "/api/invoices/view/\(shared.token)").status == 200)
        #expect(try await h.send("GET", "/api/invoices/view/\(shared.token)/pdf").status == 200)
        #expect(try await h.send("GET", "/invoice/\(shared.token)/pdf").status == 200)
        let session = try await rig.payAndComplete(shared.token, amount: 1_000)
        let invoice = try await rig.settled(shared.id)
        let publicID = try #require(invoice["publicId"] as? String)
        #expect(try await h.send("GET", "/pay/complete?session_id=\(session)").status == 200)
        #expect(try await h.send("GET", "/api/public/billing/invoices/\(publicID)/pdfByToken?token=\(session)").status == 200)

        // The portal: JSON and HTML, later pages by cursor and by offset, an invoice page and its PDF, pay, messages, media PDF.
        #expect(try await h.send("PUT", "/api/settings/portal", token: acme.token, json: ["allowMessages": true]).status == 200)
        let portal = try #require(try await h.send("POST", "/api/customers/\(acme.customerID)/portal-token", token: acme.token)
            .json["token"] as? String)
        let first = try await h.send("GET", "/api/portal/\(portal)?limit=5")
        #expect(first.status == 200)
        let cursor = try #require(first.json["nextCursor"] as? String)
        #expect(try await h.send("GET", "/api/portal/\(portal)?limit=5&before=\(cursor)").status == 200)
        #expect(try await h.send("GET", "/api/portal/\(portal)?limit=5&offset=40").status == 200)
        #expect(try await h.send("GET", "/portal/\(portal)").status == 200)
        #expect(try await h.send("GET", "/portal/\(portal)?before=\(cursor)").status == 200)
        #expect(try await h.send("GET", "/portal/\(portal)/invoices/\(publicID)").status == 200)
        #expect(try await h.send("GET", "/portal/\(portal)/invoices/\(publicID)/pdf").status == 200)
        let pay = try await h.send("POST", "/portal/\(portal)/invoices/\(publicID)/pay", json: [String: Int](), headers: ["Accept": "application/json"])
        #expect(pay.status == 200)
        #expect(try await h.send("POST", "/api/portal/\(portal)/messages", json: ["message": "Hello"]).status == 201)
        #expect(try await h.send("POST", "/portal/\(portal)/messages", rawBody: "message=Hi",
                                 headers: ["Content-Type": "application/x-www-form-urlencoded"], followRedirects: false).status == 303)
        let jwt = try #require(try await h.send("GET", "/api/auth/media/customer", headers: ["Authorization": "Bearer \(portal)"])
            .json["jwt"] as? String)
        #expect(try await h.send("GET", "/api/public/billing/invoices/\(publicID)/pdf?t=\(jwt)").status == 200)

        // Email preferences and one-click unsubscribe.
        let tenantID = try #require(try await h.stores.tenants.tenant(slug: acme.slug)).id
        let unsubscribe = UnsubscribeTokens(key: Array(repeating: 7, count: 32)).token(tenantID: tenantID, customerID: acme.customerID)
        try await h.stores.customers.registerUnsubscribeToken(tenantID: tenantID, customerID: acme.customerID,
                                                              hash: UnsubscribeTokens.hash(unsubscribe))
        #expect(try await h.send("GET", "/api/preferences/\(unsubscribe)").status == 200)
        #expect(try await h.send("PUT", "/api/preferences/\(unsubscribe)", json: ["marketing": true]).status == 200)
        #expect(try await h.send("GET", "/preferences/\(unsubscribe)").status == 200)
        #expect(try await h.send("GET", "/unsubscribe/\(unsubscribe)?category=marketing").status == 200)
        #expect(try await h.send("POST", "/unsubscribe/\(unsubscribe)?category=marketing", rawBody: "List-Unsubscribe=One-Click",
                                 headers: ["Content-Type": "application/x-www-form-urlencoded"]).status == 200)

        // The tenant's own reads stay flat too.
        #expect(try await h.send("GET", "/api/invoices/\(shared.id)", token: acme.token).status == 200)
        #expect(try await h.send("GET", "/api/invoices?limit=20", token: acme.token).status == 200)
        try await rig.stop()

        var problems: [String] = []
        let rowStatements = try h.temp.sqlite!.preparedStatements().filter { sql in
            let verb = sql.drop { $0.isWhitespace }.prefix { $0.isLetter }.uppercased()
            return ["SELECT", "INSERT", "UPDATE", "DELETE", "WITH", "REPLACE"].contains(verb)
        }
        for sql in rowStatements.sorted() {
            let found = try QueryPlan.problems(of: sql, in: h.temp.sqlite!, growing: Self.growing)
            guard !found.isEmpty, !Self.allowed.contains(where: { sql.contains($0.sqlContains) }) else { continue }
            problems.append("\(found) in: \(sql)")
        }
        // A query scoped to one customer's invoices finds them through an index on the customer,
        // not by walking the whole tenant's.
        for sql in rowStatements where sql.contains("invoices i WHERE i.tenant_id = ? AND i.customer_id = ?") {
            let plan = try QueryPlan.details(of: sql, in: h.temp.sqlite!)
            if !plan.contains(where: { $0.contains("customer_id=?") }) { problems.append("\(plan) in: \(sql)") }
        }
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    /// Thousands of rows in every growing table, written as one script (so none of it is among
    /// the statements checked): a tenant's big customer, its neighbours, and two other tenants.
    static func fill(_ database: Database, tenantSlug: String, customerID: Int64) throws {
        try database.withWriterConnection { db in
            try db.executeScript("""
                BEGIN IMMEDIATE;
                INSERT INTO tenants (slug, name, created_at) VALUES ('bulk-a', 'Bulk A', 0), ('bulk-b', 'Bulk B', 0);
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 60)
                INSERT INTO customers (tenant_id, name, email, created_at)
                    SELECT (SELECT id FROM tenants WHERE slug = CASE i % 3 WHEN 0 THEN '\(tenantSlug)' WHEN 1 THEN 'bulk-a' ELSE 'bulk-b' END),
                           'Customer ' || i, 'c' || i || '@example.com', 0 FROM n;
                CREATE TEMP TABLE bulk_customers AS SELECT id, tenant_id, row_number() OVER (ORDER BY id) - 1 AS k FROM customers;
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 9000)
                INSERT INTO invoices (tenant_id, customer_id, public_id, type, number, status, currency, issue_date, due_date,
                                      subtotal, tax_total, total, amount_paid, amount_credited, created_at, issued_at)
                    SELECT CASE WHEN i % 3 = 0 THEN (SELECT id FROM tenants WHERE slug = '\(tenantSlug)') ELSE c.tenant_id END,
                           CASE WHEN i % 3 = 0 THEN \(customerID) ELSE c.id END, 'inv_bulk_' || i,
                           CASE WHEN i % 13 = 0 THEN 'AP' ELSE 'AR' END, 'BULK-' || i,
                           CASE WHEN i % 7 = 0 THEN 'draft' WHEN i % 5 = 0 THEN 'paid' WHEN i % 17 = 0 THEN 'cancelled' ELSE 'issued' END,
                           CASE WHEN i % 4 = 0 THEN 'USD' ELSE 'EUR' END, date('2026-01-01', '+' || (i % 300) || ' days'),
                           date('2026-01-31', '+' || (i % 300) || ' days'), 10000, 1900, 11900,
                           CASE WHEN i % 5 = 0 THEN 11900 WHEN i % 6 = 0 THEN 5000 ELSE 0 END,
                           CASE WHEN i % 11 = 0 THEN 900 ELSE 0 END, i, CASE WHEN i % 7 = 0 THEN NULL ELSE i END
                    FROM n JOIN bulk_customers c ON c.k = (i * 7) % (SELECT count(*) FROM bulk_customers);
                INSERT INTO invoice_lines (invoice_id, position, description, quantity, unit_price, tax_rate, net)
                    SELECT id, 0, 'Work', 10000, 5000, 1900, 5000 FROM invoices WHERE public_id LIKE 'inv_bulk_%'
                    UNION ALL SELECT id, 1, 'More work', 10000, 5000, 1900, 5000 FROM invoices WHERE public_id LIKE 'inv_bulk_%';
                INSERT INTO links (tenant_id, kind, token_hash, invoice_id, created_at)
                    SELECT tenant_id, 'share', randomblob(32), id, 0 FROM invoices WHERE issued_at IS NOT NULL;
                INSERT INTO links (tenant_id, kind, token_hash, invoice_id, created_at, recipient)
                    SELECT tenant_id, 'email', randomblob(32), id, 0, 'b@example.com' FROM invoices WHERE issued_at IS NOT NULL;
                INSERT INTO links (tenant_id, kind, token_hash, customer_id, created_at, expires_at, revoked_at)
                    SELECT tenant_id, 'portal', randomblob(32), id, 0, 9999999999999, 1 FROM customers;
                INSERT INTO credit_notes (tenant_id, invoice_id, customer_id, public_id, number, issue_date, amount, created_at)
                    SELECT tenant_id, id, customer_id, 'cn_bulk_' || id, 'CN-' || id, issue_date, amount_credited, 0 FROM invoices
                    WHERE amount_credited > 0;
                INSERT INTO credit_note_lines (credit_note_id, position, description, quantity, unit_price, tax_rate, net, unit_code, vat_category)
                    SELECT id, 0, 'Credit', 10000, amount, 0, amount, 'C62', 'Z' FROM credit_notes;
                INSERT INTO checkout_sessions (tenant_id, invoice_id, session_id, amount, currency, status, created_at, expires_at)
                    SELECT tenant_id, id, 'cs_bulk_' || id, amount_paid, currency, 'complete', 0, 1 FROM invoices WHERE amount_paid > 0;
                INSERT INTO payments (tenant_id, invoice_id, provider, session_id, payment_intent, amount, currency, state, created_at, updated_at)
                    SELECT tenant_id, id, 'stripe', 'cs_bulk_' || id, 'pi_bulk_' || id, amount_paid, currency, 'succeeded', 0, 0
                    FROM invoices WHERE amount_paid > 0;
                INSERT INTO provider_events (tenant_id, provider, event_id, type, payload, received_at, applied_at, outcome)
                    SELECT tenant_id, 'stripe', 'evt_bulk_' || id, 'checkout.session.completed', x'7b7d', 0, 0, 'applied'
                    FROM invoices WHERE amount_paid > 0;
                INSERT INTO payment_audit (tenant_id, invoice_id, at, event_id, action, amount)
                    SELECT tenant_id, id, 0, 'evt_bulk_' || id, 'payment', amount_paid FROM invoices WHERE amount_paid > 0;
                INSERT INTO email_log (tenant_id, invoice_id, customer_id, category, recipient, send_key, status, created_at, updated_at)
                    SELECT tenant_id, id, customer_id, 'document', 'b@example.com', 'bulk-' || id, 'sent', 0, 0
                    FROM invoices WHERE issued_at IS NOT NULL;
                INSERT INTO views (view_key, tenant_id, invoice_id, source, ip, viewed_at, processed, counted)
                    SELECT 'bulk-' || id || '-' || k, tenant_id, id, 'link', '10.0.0.' || k, id * 1000 + k, 1, 1
                    FROM invoices, (SELECT 1 AS k UNION ALL SELECT 2 UNION ALL SELECT 3) WHERE issued_at IS NOT NULL;
                INSERT INTO pdf_cache (invoice_id, content_hash, pdf, created_at)
                    SELECT id, 'bulk', x'25504446', 0 FROM invoices WHERE issued_at IS NOT NULL AND id % 4 = 0;
                INSERT INTO sales_orders (tenant_id, customer_id, number, status, currency, total, order_date, created_at)
                    SELECT tenant_id, customer_id, 'SO-' || id, 'open', currency, total, issue_date, 0 FROM invoices WHERE id % 9 = 0;
                INSERT INTO customer_messages (tenant_id, customer_id, body, created_at, read_at)
                    SELECT tenant_id, customer_id, 'Message ' || id, 0, 0 FROM invoices WHERE id % 5 = 0;
                DROP TABLE bulk_customers;
                COMMIT;
                """)
        }
    }
}
