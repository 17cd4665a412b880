import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// The `.direct` transport answers what a real client sees over the socket: the same requests,
/// sent both ways to one API, get the same status, headers and body.
@Suite struct DirectTransportTests {
    /// Fields that differ between any two responses: the time, and per-request ids.
    static let varying: Set<String> = ["date", "x-request-id"]

    @Test func directRepliesMatchLiveRepliesFieldForField() async throws {
        let h = try APIHarness(transport: .live)
        let acme = try await h.tenant("acme")
        let id = try await h.invoice(acme)
        let share = try #require(try await h.send("POST", "/api/invoices/\(id)/share", token: acme.token).json["shareToken"] as? String)
        let portal = try #require(
            try await h.send("POST", "/api/customers/\(acme.customerID)/portal-token", token: acme.token).json["token"] as? String)
        #expect(try await h.send("PUT", "/api/settings/portal", token: acme.token, json: ["allowMessages": true]).status == 200)
        let form = ["Content-Type": "application/x-www-form-urlencoded"]

        let requests: [(String, URLRequest, followRedirects: Bool)] = [
            ("health", try h.urlRequest("GET", "/healthz"), true),
            ("page", try h.urlRequest("GET", "/invoice/\(share)"), true),
            ("HEAD page", try h.urlRequest("HEAD", "/invoice/\(share)"), true),
            ("PDF", try h.urlRequest("GET", "/invoice/\(share)/pdf"), true),
            ("JSON", try h.urlRequest("GET", "/api/invoices/\(id)", token: acme.token), true),
            ("404", try h.urlRequest("GET", "/api/invoices/999999", token: acme.token), true),
            ("bad token", try h.urlRequest("GET", "/api/invoices/view/%00%ff"), true),
            ("no content type", try h.urlRequest("POST", "/api/customers", token: acme.token, bytes: Array(#"{"name":"A"}"#.utf8)), true),
            ("303 shown", try h.urlRequest("POST", "/portal/\(portal)/messages", rawBody: "message=hi", headers: form), false),
            ("303 followed", try h.urlRequest("POST", "/portal/\(portal)/messages", rawBody: "message=hi", headers: form), true),
        ]
        var statuses: [String: Int] = [:]
        for (name, request, followRedirects) in requests {
            let live = try await h.deliver(request, followRedirects: followRedirects, via: .live)
            let direct = try await h.deliver(request, followRedirects: followRedirects, via: .direct)
            statuses[name] = live.status
            if name == "HEAD page" { #expect(direct.body.isEmpty && Int(direct.header("Content-Length") ?? "") ?? 0 > 0) }
            #expect(direct.status == live.status, "\(name)")
            #expect(Self.comparable(direct.headers) == Self.comparable(live.headers), "\(name)")
            #expect(Set(direct.headers.keys.map { $0.lowercased() }) == Set(live.headers.keys.map { $0.lowercased() }), "\(name)")
            #expect(direct.body == live.body, "\(name): \(direct.text.prefix(200)) vs \(live.text.prefix(200))")
        }
        // Each case is what its name says, over the socket too.
        #expect(statuses == ["health": 200, "page": 200, "HEAD page": 200, "PDF": 200, "JSON": 200, "404": 404, "bad token": 404,
                             "no content type": 415, "303 shown": 303, "303 followed": 200])
        let messages = try await h.send("GET", "/api/messages", token: acme.token).json["data"] as? [Any]
        #expect(messages?.count == 4)
        await h.stop()
    }

    /// Header fields by lower-cased name, without those that vary per response.
    static func comparable(_ headers: [String: String]) -> [String: String] {
        Dictionary(headers.map { ($0.key.lowercased(), $0.value) }.filter { !varying.contains($0.0) }) { first, _ in first }
    }
}
