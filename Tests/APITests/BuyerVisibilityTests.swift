import BillportCore
import Foundation
import TestSupport
import Testing

/// Only issued AR documents ever reach a buyer: AP bills and drafts cancelled before issue are
/// absent from the portal (list, balances, aging, credit notes) and every page, PDF and pay route.
@Suite struct BuyerVisibilityTests {
    struct Fixture {
        let h: APIHarness
        let acme: APIHarness.Tenant
        let portal: String
        let visible: String, bill: String, cancelledDraft: String
        let billID: Int64, cancelledID: Int64
    }

    func fixture() async throws -> Fixture {
        let h = try APIHarness(clock: ManualClock(ISO8601.parse("2026-12-20T12:00:00Z")!))
        let acme = try await h.tenant("acme")
        let visible = try await h.invoice(acme, number: "INV-1")
        let bill = try await h.invoice(acme, number: "AP-1", type: "AP")
        let draft = try await h.invoice(acme, number: "D-1", issue: false)
        #expect(try await h.send("POST", "/api/invoices/\(draft)/cancel", token: acme.token).status == 200)
        for id in [visible, bill] {
            _ = try await h.send("POST", "/api/invoices/\(id)/credit-notes", token: acme.token, json: ["number": "CN-\(id)", "amount": 100])
        }
        let portal = try #require(try await h.send("POST", "/api/customers/\(acme.customerID)/portal-token", token: acme.token).json["token"] as? String)
        func publicID(_ id: Int64) async throws -> String {
            try #require(try await h.send("GET", "/api/invoices/\(id)", token: acme.token).json["publicId"] as? String)
        }
        return Fixture(h: h, acme: acme, portal: portal, visible: try await publicID(visible), bill: try await publicID(bill),
                       cancelledDraft: try await publicID(draft), billID: bill, cancelledID: draft)
    }

    @Test func anAPBillAndACancelledDraftNeverAppearInThePortalOrItsBalances() async throws {
        let f = try await fixture()
        let portal = try await f.h.send("GET", "/api/portal/\(f.portal)")
        #expect(portal.status == 200)
        let numbers = (portal.json["invoices"] as? [[String: Any]])?.compactMap { $0["number"] as? String }
        #expect(numbers == ["INV-1"])
        // 135,660 due on INV-1 less its 100 credit note; nothing of AP-1.
        let balances = try #require(portal.json["balances"] as? [[String: Any]])
        #expect(balances.count == 1)
        #expect(balances.first?["outstanding"] as? Int == 135_560)
        #expect(balances.first?["overdue"] as? Int == 135_560)
        let aging = try #require((portal.json["statement"] as? [String: Any])?["balances"] as? [[String: Any]])
        #expect(aging.first?["days1to30"] as? Int == 135_560)
        let credits = (portal.json["creditNotes"] as? [[String: Any]])?.compactMap { $0["invoiceNumber"] as? String }
        #expect(credits == ["INV-1"])
        let page = try await f.h.send("GET", "/portal/\(f.portal)")
        #expect(page.status == 200)
        #expect(page.text.contains("INV-1"))
        #expect(!page.text.contains("AP-1"))
        #expect(!page.text.contains("D-1"))
        await f.h.stop()
    }

    @Test func anAPBillAndACancelledDraftHaveNoPagePDFOrPaymentForTheBuyer() async throws {
        let f = try await fixture()
        let jwt = try #require(try await f.h.send("GET", "/api/auth/media/customer", headers: ["Authorization": "Bearer \(f.portal)"]).json["jwt"] as? String)
        #expect(try await f.h.send("GET", "/portal/\(f.portal)/invoices/\(f.visible)").status == 200)
        #expect(try await f.h.send("GET", "/api/public/billing/invoices/\(f.visible)/pdf?t=\(jwt)").status == 200)
        for hidden in [f.bill, f.cancelledDraft] {
            #expect(try await f.h.send("GET", "/portal/\(f.portal)/invoices/\(hidden)").status == 404, "\(hidden)")
            #expect(try await f.h.send("GET", "/portal/\(f.portal)/invoices/\(hidden)/pdf").status == 404, "\(hidden)")
            #expect(try await f.h.send("GET", "/api/public/billing/invoices/\(hidden)/pdf?t=\(jwt)").status == 404, "\(hidden)")
            let pay = try await f.h.send("POST", "/portal/\(f.portal)/invoices/\(hidden)/pay", json: [String: Int](), headers: ["Accept": "application/json"])
            #expect(pay.status == 404, "\(hidden) \(pay.text)")
        }
        await f.h.stop()
    }

    @Test func aLinkToAnAPBillOrACancelledDraftIsTheBadLink404() async throws {
        let f = try await fixture()
        let tenantID = try #require(try await f.h.stores.tenants.tenant(slug: "acme")).id
        // Links made before the rule (or by any other path) still open nothing.
        for id in [f.billID, f.cancelledID] {
            let token = try await f.h.stores.links.createEmailLink(tenantID: tenantID, invoiceID: id, recipient: "zoe@acme.example")
            for path in ["/invoice/\(token)", "/invoice/\(token)/pdf", "/api/invoices/view/\(token)", "/api/invoices/view/\(token)/pdf"] {
                #expect(try await f.h.send("GET", path).status == 404, "\(path)")
            }
            #expect(try await f.h.send("POST", "/invoice/\(token)/pay", json: [String: Int](), headers: ["Accept": "application/json"]).status == 404)
        }
        await f.h.stop()
    }

    @Test func sharingOrSendingAnAPBillOrANeverIssuedDraftIs409() async throws {
        let f = try await fixture()
        for id in [f.billID, f.cancelledID] {
            let share = try await f.h.send("POST", "/api/invoices/\(id)/share", token: f.acme.token)
            #expect(share.status == 409, "\(id) \(share.text)")
            let send = try await f.h.send("POST", "/api/invoices/\(id)/send", token: f.acme.token)
            #expect(send.status == 409, "\(id) \(send.text)")
        }
        #expect(try await f.h.send("POST", "/api/invoices/\(f.billID)/send", token: f.acme.token).errorCode == "not_shareable")
        await f.h.stop()
    }
}
