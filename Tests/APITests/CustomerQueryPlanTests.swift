import Foundation
import Relational
import SQLite
import Testing
import TestSupport

/// The customer routes and the idempotency layer stay index reads on a full database: the
/// list and its search, a change, an erasure, a deletion, a key claimed, stored and replayed.
@Suite(.serialized, .enabled(if: TestBackend.selected == .sqlite, "SQLite query plans: runs in the SQLite pass")) struct CustomerQueryPlanTests {
    static let growing = PublicRouteQueryPlanTests.growing.union(["idempotency_keys", "view_addresses"])

    @Test func everyCustomerAndIdempotencyStatementIsAnIndexSearch() async throws {
        let h = try APIHarness()
        let acme = try await h.tenant("acme")
        try PublicRouteQueryPlanTests.fill(h.temp.sqlite!, tenantSlug: acme.slug, customerID: acme.customerID)

        for query in ["/api/customers", "/api/customers?limit=5&before=999999", "/api/customers?q=customer", "/api/customers?q=c1&before=999999"] {
            #expect(try await h.send("GET", query, token: acme.token).status == 200, "\(query)")
        }
        #expect(try await h.send("PATCH", "/api/customers/\(acme.customerID)", token: acme.token, json: ["name": "Zoë"]).status == 200)
        #expect(try await h.send("POST", "/api/customers/\(acme.customerID)/erase", token: acme.token).status == 200)
        #expect(try await h.send("GET", "/api/customers/\(acme.customerID)/emails", token: acme.token).status == 200)
        let key = ["Idempotency-Key": "plan-1"]
        let body = ["name": "Lone", "email": "lone@example.com"]
        let lone = try #require(try await h.send("POST", "/api/customers", token: acme.token, json: body, headers: key).json["id"] as? Int)
        #expect(try await h.send("POST", "/api/customers", token: acme.token, json: body, headers: key).header("Idempotent-Replayed") == "true")
        #expect(try await h.send("POST", "/api/customers/\(lone)/portal-token", token: acme.token).status == 201)
        #expect(try await h.send("DELETE", "/api/customers/\(lone)", token: acme.token).status == 204)

        var problems: [String] = []
        let tables = ["customers", "idempotency_keys", "view_addresses", "views", "links", "customer_messages", "email_log"]
        let statements = try h.temp.sqlite!.preparedStatements().filter { sql in
            let verb = sql.drop { $0.isWhitespace }.prefix { $0.isLetter }.uppercased()
            return ["SELECT", "UPDATE", "DELETE"].contains(verb) && tables.contains { sql.contains($0) }
        }
        #expect(statements.contains { $0.hasPrefix("DELETE FROM idempotency_keys WHERE id IN") })
        #expect(statements.contains { $0.hasPrefix("UPDATE views SET ip = ''") })
        for sql in statements.sorted() where !PublicRouteQueryPlanTests.allowed.contains(where: { sql.contains($0.sqlContains) }) {
            let found = try QueryPlan.problems(of: sql, in: h.temp.sqlite!, growing: Self.growing)
            if !found.isEmpty { problems.append("\(found) in: \(sql)") }
        }
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }
}
