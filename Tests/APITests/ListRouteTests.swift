import Foundation
import Testing

/// The tenant's lists: invoices narrowed by status, customer and due date, sales orders by
/// customer, both newest first and paged by `before` without a duplicate or a gap.
@Suite struct ListRouteTests {
    /// Every page of `path` (which already has its query) at `limit`, following `nextBefore`.
    static func walk(_ h: APIHarness, _ path: String, token: String, limit: Int) async throws -> (ids: [Int], pages: Int) {
        var ids: [Int] = []
        var pages = 0
        var before: Int?
        repeat {
            let page = try await h.send("GET", path + "&limit=\(limit)" + (before.map { "&before=\($0)" } ?? ""), token: token)
            #expect(page.status == 200)
            ids += (page.json["data"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? Int }
            before = page.json["nextBefore"] as? Int
            pages += 1
        } while before != nil && pages < 50
        return (ids, pages)
    }

    static func numbers(_ reply: APIHarness.Reply) -> [String] {
        (reply.json["data"] as? [[String: Any]] ?? []).compactMap { $0["number"] as? String }
    }

    @Test func invoicesFilterByStatusCustomerAndDueDateAndCombine() async throws {
        let h = try APIHarness()
        let acme = try await h.tenant("acme")
        let other = try await h.stores.customers.createCustomer(tenantID: try #require(try await h.stores.tenants.tenant(slug: "acme")).id,
                                                                name: "Other", email: "other@acme.example", preferences: .init())
        func create(_ number: String, customer: Int64, due: String, issue: Bool, cancel: Bool = false) async throws {
            let created = try await h.send("POST", "/api/invoices", token: acme.token,
                                           json: h.invoiceJSON(customer: customer, number: number, dueDate: due))
            let id = try #require(created.json["id"] as? Int, "\(created.status) \(created.text)")
            if issue { #expect(try await h.send("POST", "/api/invoices/\(id)/issue", token: acme.token).status == 200) }
            if cancel { #expect(try await h.send("POST", "/api/invoices/\(id)/cancel", token: acme.token).status == 200) }
        }
        try await create("A-1", customer: acme.customerID, due: "2027-03-01", issue: true)
        try await create("A-2", customer: acme.customerID, due: "2027-03-15", issue: false)
        try await create("B-1", customer: other.id, due: "2027-03-31", issue: true)
        try await create("B-2", customer: other.id, due: "2027-04-01", issue: true, cancel: true)
        try await create("A-3", customer: acme.customerID, due: "2027-04-15", issue: true)
        let beta = try await h.tenant("beta")
        _ = try await h.invoice(beta, number: "X-1")

        func list(_ query: String) async throws -> [String] {
            Self.numbers(try await h.send("GET", "/api/invoices?\(query)", token: acme.token))
        }
        #expect(try await list("") == ["A-3", "B-2", "B-1", "A-2", "A-1"])
        #expect(try await list("status=issued") == ["A-3", "B-1", "A-1"])
        #expect(try await list("status=draft") == ["A-2"])
        #expect(try await list("status=cancelled") == ["B-2"])
        #expect(try await list("status=paid") == [])
        #expect(try await list("customerId=\(other.id)") == ["B-2", "B-1"])
        #expect(try await list("customerId=\(beta.customerID)") == [], "another tenant's customer lists nothing")
        // Both bounds exclusive: March without its first day.
        #expect(try await list("dueAfter=2027-03-01&dueBefore=2027-04-01") == ["B-1", "A-2"])
        #expect(try await list("dueBefore=2027-03-15") == ["A-1"])
        #expect(try await list("dueAfter=2027-03-31") == ["A-3", "B-2"])
        #expect(try await list("status=issued&customerId=\(acme.customerID)&dueAfter=2027-03-01") == ["A-3"])
        await h.stop()
    }

    @Test func aBadFilterIs422NamingTheQueryParameter() async throws {
        let h = try APIHarness()
        let acme = try await h.tenant("acme")
        let cases: [(String, String, String)] = [
            ("status=open", "status", "invalid_field"),
            ("status=", "status", "invalid_field"),
            ("customerId=abc", "customerId", "invalid_field"),
            ("customerId=0", "customerId", "invalid_field"),
            ("dueBefore=2026-13-01", "dueBefore", "invalid_field"),
            ("dueAfter=01.03.2026", "dueAfter", "invalid_field"),
            ("before=-3", "before", "invalid_field"),
            ("stauts=paid", "stauts", "unknown_field"),
            ("status=draft&status=issued", "status", "invalid_field"),
        ]
        for (query, field, code) in cases {
            let reply = try await h.send("GET", "/api/invoices?\(query)", token: acme.token)
            #expect(reply.status == 422 && reply.errorField == field && reply.errorCode == code, "\(query): \(reply.text)")
        }
        let unknown = try await h.send("GET", "/api/sales-orders?customer=1", token: acme.token)
        #expect(unknown.status == 422 && unknown.errorField == "customer" && unknown.errorCode == "unknown_field")
        #expect(try await h.send("GET", "/api/sales-orders?limit=201", token: acme.token).errorField == "limit")
        #expect(try await h.send("GET", "/api/sales-orders?customerId=x", token: acme.token).errorField == "customerId")
        await h.stop()
    }

    @Test func filteredInvoicePagesHaveNoDuplicatesAndNoGaps() async throws {
        let h = try APIHarness()
        let acme = try await h.tenant("acme")
        var issued: [Int] = []
        for n in 1...11 {
            let id = try await h.invoice(acme, number: "P-\(n)", issue: n % 3 != 0)
            if n % 3 != 0 { issued.append(Int(id)) }
        }
        let walked = try await Self.walk(h, "/api/invoices?status=issued", token: acme.token, limit: 3)
        #expect(walked.ids == issued.reversed())
        #expect(walked.pages == 3)
        let all = try await Self.walk(h, "/api/invoices?", token: acme.token, limit: 4)
        #expect(all.ids.count == 11 && Set(all.ids).count == 11 && all.ids == all.ids.sorted(by: >))
        await h.stop()
    }

    @Test func salesOrdersListNewestFirstByCustomerAndPage() async throws {
        let h = try APIHarness()
        let acme = try await h.tenant("acme")
        let other = try await h.stores.customers.createCustomer(tenantID: try #require(try await h.stores.tenants.tenant(slug: "acme")).id,
                                                                name: "Other", email: "other@acme.example", preferences: .init())
        var mine: [Int] = []
        var all: [Int] = []
        for n in 1...7 {
            let customer = n % 2 == 0 ? other.id : acme.customerID
            let created = try await h.send("POST", "/api/sales-orders", token: acme.token, json: [
                "customerId": customer, "number": "SO-\(n)", "currency": "EUR", "total": 1000 * n, "orderDate": "2026-11-0\(n)",
            ])
            let id = try #require(created.json["id"] as? Int)
            all.append(id)
            if customer == acme.customerID { mine.append(id) }
        }
        let beta = try await h.tenant("beta")
        #expect(try await h.send("POST", "/api/sales-orders", token: beta.token, json: [
            "customerId": beta.customerID, "number": "SO-1", "currency": "EUR", "total": 1, "orderDate": "2026-11-01",
        ]).status == 201)

        let first = try await h.send("GET", "/api/sales-orders", token: acme.token)
        #expect(Self.numbers(first) == ["SO-7", "SO-6", "SO-5", "SO-4", "SO-3", "SO-2", "SO-1"])
        #expect(first.json["nextBefore"] == nil)
        let order = try #require((first.json["data"] as? [[String: Any]])?.first)
        #expect(order["total"] as? Int == 7000 && order["status"] as? String == "open" && order["orderDate"] as? String == "2026-11-07")

        #expect(try await Self.walk(h, "/api/sales-orders?", token: acme.token, limit: 2).ids == all.reversed())
        let walked = try await Self.walk(h, "/api/sales-orders?customerId=\(acme.customerID)", token: acme.token, limit: 3)
        #expect(walked.ids == mine.reversed() && walked.pages == 2)
        #expect(Self.numbers(try await h.send("GET", "/api/sales-orders", token: beta.token)) == ["SO-1"])
        #expect(try await h.send("GET", "/api/sales-orders").status == 401)
        await h.stop()
    }
}
