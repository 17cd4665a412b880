import Foundation
import Relational
import SQLite
import TestSupport
import Testing

/// The tenant's lists stay index reads however long the history: every filter of
/// `GET /api/invoices` and `GET /api/sales-orders`, alone and combined, first page and later
/// ones, is driven over thousands of rows across tenants, then every plan is read back.
@Suite(.serialized, .enabled(if: TestBackend.selected == .sqlite, "SQLite query plans: runs in the SQLite pass")) struct ListRouteQueryPlanTests {
    @Test func everyListFilterIsAnIndexSearchOnAFullDatabase() async throws {
        let h = try APIHarness()
        let acme = try await h.tenant("acme")
        try PublicRouteQueryPlanTests.fill(h.temp.sqlite!, tenantSlug: acme.slug, customerID: acme.customerID)
        let before = "before=999999"
        let queries = [
            "/api/invoices?limit=20", "/api/invoices?limit=20&\(before)",
            "/api/invoices?status=issued", "/api/invoices?status=paid&\(before)",
            "/api/invoices?customerId=\(acme.customerID)", "/api/invoices?customerId=\(acme.customerID)&\(before)",
            "/api/invoices?dueBefore=2026-06-01", "/api/invoices?dueAfter=2026-06-01&\(before)",
            "/api/invoices?dueAfter=2026-03-01&dueBefore=2026-06-01",
            "/api/invoices?status=issued&customerId=\(acme.customerID)",
            "/api/invoices?status=draft&dueBefore=2026-06-01&\(before)",
            "/api/invoices?customerId=\(acme.customerID)&dueAfter=2026-03-01",
            "/api/invoices?status=issued&customerId=\(acme.customerID)&dueAfter=2026-03-01&dueBefore=2026-09-01&\(before)",
            "/api/sales-orders", "/api/sales-orders?limit=10&\(before)",
            "/api/sales-orders?customerId=\(acme.customerID)", "/api/sales-orders?customerId=\(acme.customerID)&limit=5&\(before)",
        ]
        for query in queries {
            let reply = try await h.send("GET", query, token: acme.token)
            #expect(reply.status == 200 && !((reply.json["data"] as? [Any]) ?? []).isEmpty, "\(query): \(reply.status)")
        }
        await h.stop()

        var problems: [String] = []
        // Every statement the process ran (the invoices' own reads, lines included) uses an index…
        let statements = try h.temp.sqlite!.preparedStatements().filter { $0.hasPrefix("SELECT") }
        for sql in statements.sorted() where !PublicRouteQueryPlanTests.allowed.contains(where: { sql.contains($0.sqlContains) }) {
            let found = try QueryPlan.problems(of: sql, in: h.temp.sqlite!, growing: PublicRouteQueryPlanTests.growing)
            if !found.isEmpty { problems.append("\(found) in: \(sql)") }
        }
        // …and each list reads by SEARCH alone.
        let lists = statements.filter {
            $0.hasPrefix("SELECT id FROM invoices WHERE tenant_id = ?") || $0.contains("FROM sales_orders WHERE tenant_id = ?")
        }
        #expect(lists.count >= 10, "\(lists)")
        for sql in lists.sorted() {
            let plan = try QueryPlan.details(of: sql, in: h.temp.sqlite!)
            let found = try QueryPlan.problems(of: sql, in: h.temp.sqlite!, growing: PublicRouteQueryPlanTests.growing)
            if !found.isEmpty || !plan.allSatisfy({ $0.hasPrefix("SEARCH") }) { problems.append("\(plan) in: \(sql)") }
            // Due dates alone are compared inside the index: skipping an invoice never reads its row.
            if sql.contains("due_date"), !sql.contains("status = ?"), !sql.contains("customer_id = ?"),
               !plan.allSatisfy({ $0.contains("COVERING INDEX") }) { problems.append("\(plan) in: \(sql)") }
            // A status or a customer alone is read from the index that holds it, not filtered row by row.
            for column in ["status", "customer_id"] where sql.contains("\(column) = ?")
                && !sql.contains(column == "status" ? "customer_id = ?" : "status = ?") {
                if !plan.contains(where: { $0.contains("\(column)=?") }) { problems.append("\(plan) in: \(sql)") }
            }
        }
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }
}
