import BillportCore
import Foundation
import Glibc
import TestSupport
import Testing

/// `billport demo` (what `make run` shows a newcomer), through the real binary and the portal
/// JSON a buyer's browser reads: whatever day it runs, one invoice is overdue, one is settled by
/// a credit note and one is current.
@Suite struct DemoDataTests {
    let billport = ChildProcess.builtProduct("billport")

    struct Demo: Decodable { let invoiceNumber: String; let portalUrl: String }
    struct Portal: Decodable {
        struct Line: Decodable { let number: String; let dueDate: String; let amountDue: Int64; let overdue: Bool }
        struct Credit: Decodable { let invoiceNumber: String }
        let overdue: Bool, invoices: [Line], creditNotes: [Credit]?, messagesEnabled: Bool
    }

    @Test func theDemoPortalShowsOneOverdueOneCreditedAndOneCurrentInvoiceToday() async throws {
        let dir = TemporaryDirectory()
        let environment = ["BILLPORT_DATA_DIRECTORY": dir.file("data"), "BILLPORT_HTTP_PORT": "0", "BILLPORT_SCHEDULER_ENABLED": "false"]
        let demo = try ChildProcess(billport, ["demo", "--json"], directory: dir.path, environment: environment, name: "demo")
        #expect(try await demo.waitForExit() == 0, "\(demo.stderr)")
        let created = try JSONDecoder().decode(Demo.self, from: Data(demo.stdout.utf8))
        let token = try #require(created.portalUrl.split(separator: "/").last.map(String.init))

        let serve = try ChildProcess(billport, ["serve"], directory: dir.path, environment: environment, name: "serve")
        let client = try RawClient(port: try await serve.listeningPort())
        try await client.send("GET /api/portal/\(token) HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        let response = try await client.readResponse(timeout: .seconds(30))
        #expect(response.status == 200, "\(response.text)")
        let portal = try JSONDecoder().decode(Portal.self, from: Data(response.body))
        let today = CalendarDate(utc: Date()).description

        #expect(portal.invoices.count == 3)
        let overdue = portal.invoices.filter(\.overdue)
        let credited = portal.invoices.filter { $0.amountDue == 0 }
        let current = portal.invoices.filter { !$0.overdue && $0.amountDue > 0 }
        #expect(overdue.count == 1 && overdue.allSatisfy { $0.dueDate < today }, "\(portal.invoices)")
        #expect(current.count == 1 && current.allSatisfy { $0.dueDate >= today }, "\(portal.invoices)")
        #expect(credited.count == 1 && credited.map(\.number) == portal.creditNotes?.map(\.invoiceNumber), "\(portal.invoices)")
        #expect(portal.overdue)
        #expect(portal.messagesEnabled)
        #expect(current.map(\.number) == [created.invoiceNumber], "the share link opens the current invoice")

        serve.send(SIGTERM)
        #expect(try await serve.waitForExit() == 0, "\(serve.stderr)")
    }
}
