import BillportCore
import Foundation
import Testing
import TestSupport

/// One access-log line per request through the real server: method, route pattern, status,
/// microseconds, bytes and request id, in either format, and never a link token or a bearer token.
@Suite struct AccessLogTests {
    @Test func eachRequestLogsItsRouteStatusTimeBytesAndIdButNoToken() async throws {
        let logs = InMemoryLogHandler()
        let h = try APIHarness(transport: .live, logger: logs.logger(level: .info))
        let acme = try await h.tenant("acme")
        let id = try await h.invoice(acme)
        let share = try #require(try await h.send("POST", "/api/invoices/\(id)/share", token: acme.token).json["shareToken"] as? String)

        let view = try await h.send("GET", "/api/invoices/view/\(share)")
        #expect(view.status == 200)
        let read = try await h.send("GET", "/api/invoices/\(id)", token: acme.token)
        #expect(read.status == 200)
        #expect(try await h.send("GET", "/nowhere/\(share)").status == 404)
        #expect(try await h.send("GET", "/api/invoices/\(id)", token: acme.token + "x").status == 401)

        let requests = logs.all.filter { $0.message == "request" }
        #expect(requests.allSatisfy { $0.metadata.pairs.map(\.key) == ["method", "route", "status", "us", "bytes", "id"] })
        let lines = requests.map { $0.line(.json) }
        let fields = try lines.map { line in
            try #require((try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["fields"] as? [String: String], "\(line)")
        }
        let viewLine = try #require(fields.first { $0["route"] == "/api/invoices/view/{token}" })
        #expect(viewLine["method"] == "GET" && viewLine["status"] == "200")
        #expect(viewLine["bytes"] == String(view.body.count))
        #expect(Int(viewLine["us"] ?? "") ?? -1 >= 0)
        let readLine = try #require(fields.first { $0["route"] == "/api/invoices/{id}" && $0["status"] == "200" })
        #expect(readLine["id"] == read.header("X-Request-Id"))
        #expect(fields.contains { $0["route"] == "/nowhere/{redacted}" && $0["status"] == "404" })
        #expect(fields.contains { $0["route"] == "/api/invoices/{id}" && $0["status"] == "401" })

        for text in [logs.text, logs.json] {
            #expect(!text.contains(share) && !text.contains(acme.token))
        }
        await h.stop()
    }
}
