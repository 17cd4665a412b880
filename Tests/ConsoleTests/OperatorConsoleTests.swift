import BillportCore
import Console
import Foundation
import HTTPClient
import Queue
import TestSupport
import Testing

/// The queue page and its one change, through a real server and client, over a real database.
@Suite struct OperatorConsoleTests {
    /// The numbers of one queue's row, in the order scheduled, ready, running, done, dead, cancelled.
    static func counts(of queue: String, in page: String) -> [Int] {
        guard let row = page.firstMatch(of: try! Regex("<tr><td><code>\(queue)</code></td>(.*?)</tr>")) else { return [] }
        let cells = String(row.output[1].substring ?? "")
        return cells.matches(of: #/<td class="num[^"]*">(\d+)</td>/#).compactMap { Int($0.output.1) }
    }

    @Test func thePageShowsCountsFailuresDeadJobsAndSchedules() async throws {
        let rig = try await ConsoleRig()
        try await rig.withLiveConsole(rig.console()) { client in
            let page = try await client.get("/")
            #expect(page.status == 200)
            #expect(page.headers["Content-Type"] == "text/html; charset=utf-8")
            #expect(page.headers["Cache-Control"] == "no-store")
            #expect(page.headers["Content-Security-Policy"] == "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'")
            #expect(page.headers["X-Frame-Options"] == "DENY")
            let cookie = try #require(page.headers["Set-Cookie"])
            #expect(cookie.contains("SameSite=Strict") && cookie.contains("HttpOnly"))
            let html = page.text
            #expect(Self.counts(of: "default", in: html) == [1, 2, 0, 0, 0, 1])
            #expect(Self.counts(of: "mail", in: html) == [1, 0, 1, 1, 1, 0])
            // The dead job's hostile error is text, never markup.
            #expect(html.contains("&lt;script&gt;alert(&#39;owned&#39;)&lt;/script&gt; &amp; &quot;quoted&quot;"))
            #expect(!html.contains("<script"))
            // Its retry form posts to this origin with the token; the retrying job shows its error.
            #expect(html.contains("<form method=\"post\" action=\"/jobs/\(rig.ids["dead"]!)/retry\">"))
            #expect(!html.contains("/jobs/\(rig.ids["retrying"]!)/retry"))
            #expect(html.contains("SMTP 451: try again later"))
            #expect(html.contains("diag.retrying") && html.contains("1/20"))
            // Times in UTC with how long ago; the schedule with its last and next firing; the leader.
            #expect(html.contains("2026-11-22T10:00:00Z") && html.contains("1 min ago"))
            #expect(html.contains("views.aggregate") && html.contains("every 1m") && html.contains("in 30 s"))
            #expect(html.contains("host-a:4242"))
            // `/queue` is the same page; anything else is a 404 page with the same headers.
            #expect(try await client.get("/queue").status == 200)
            let missing = try await client.get("/jobs")
            #expect(missing.status == 404 && missing.headers["X-Frame-Options"] == "DENY" && missing.headers["Cache-Control"] == "no-store")
            #expect(try await client.get("/jobs/\(rig.ids["dead"]!)").status == 404)
        }
    }

    @Test func retryWithTheTokenRequeuesTheDeadJob() async throws {
        let rig = try await ConsoleRig()
        try await rig.withLiveConsole(rig.console()) { client in
            let (token, cookie) = try await client.tokenAndCookie()
            #expect(token == cookie && !token.isEmpty)
            let dead = rig.ids["dead"]!
            let answer = try await client.postRetry(dead, token: token, cookie: cookie, origin: client.base)
            #expect(answer.status == 303)
            #expect(answer.headers["Location"] == "/?retried=\(dead)")
            #expect(try await rig.state("dead") == .ready)
            let after = try await client.get("/?retried=\(dead)", headers: ["Cookie": "\(ConsoleCSRF.cookieName)=\(cookie)"])
            #expect(after.text.contains("Job \(dead) is ready to run again."))
            // The page kept the browser's valid token instead of replacing it.
            #expect(after.headers["Set-Cookie"] == nil)
            #expect(Self.counts(of: "mail", in: after.text) == [1, 1, 1, 1, 0, 0])
        }
    }

    @Test func aMissingOrBadTokenIsRefusedAndChangesNothing() async throws {
        let rig = try await ConsoleRig()
        let dead = rig.ids["dead"]!
        try await rig.withLiveConsole(rig.console()) { client in
            let (token, cookie) = try await client.tokenAndCookie()
            let forged = ConsoleCSRF(secret: Array(repeating: 7, count: 32)).issue(now: rig.clock.now())
            let other = try await client.tokenAndCookie().token
            let refused: [(String, HTTPClientResponse)] = [
                ("no token, no cookie", try await client.postRetry(dead, token: nil, cookie: nil)),
                ("the token without its cookie", try await client.postRetry(dead, token: token, cookie: nil)),
                ("the cookie without the field", try await client.postRetry(dead, token: nil, cookie: cookie)),
                ("field and cookie differ", try await client.postRetry(dead, token: other, cookie: cookie)),
                ("signed by another secret", try await client.postRetry(dead, token: forged, cookie: forged)),
                ("a garbled token", try await client.postRetry(dead, token: "1.2.3", cookie: "1.2.3")),
                ("from another origin", try await client.postRetry(dead, token: token, cookie: cookie, origin: "http://evil.example")),
            ]
            for (why, answer) in refused {
                #expect(answer.status == 403, "\(why)")
                #expect(answer.text.contains("Reload the queue page"), "\(why)")
            }
            // A token past its lifetime.
            rig.clock.advance(by: .seconds(13 * 3600))
            #expect(try await client.postRetry(dead, token: token, cookie: cookie).status == 403)
        }
        #expect(try await rig.state("dead") == .dead)
    }

    @Test func onlyAPostRetriesAndOnlyADeadJob() async throws {
        let rig = try await ConsoleRig()
        try await rig.withLiveConsole(rig.console()) { client in
            let dead = rig.ids["dead"]!
            let get = try await client.get("/jobs/\(dead)/retry")
            #expect(get.status == 405)
            #expect(get.headers["Allow"] == "POST")
            #expect(try await rig.state("dead") == .dead)
            #expect(try await client.client.send(HTTPClientRequest(method: .post, url: client.base + "/")).status == 405)

            let (token, cookie) = try await client.tokenAndCookie()
            for name in ["retrying", "running", "cancelled", "done"] {
                let answer = try await client.postRetry(rig.ids[name]!, token: token, cookie: cookie)
                #expect(answer.status == 409, "\(name)")
            }
            #expect(try await rig.state("retrying") == .scheduled)
            #expect(try await rig.state("cancelled") == .cancelled)
            #expect(try await client.postRetry(999_999, token: token, cookie: cookie).status == 404)
            let malformed = try await client.client.send(HTTPClientRequest(method: .post, url: client.base + "/jobs/0x1/retry"))
            #expect(malformed.status == 404)
        }
    }

    @Test func aPageOnAnotherHostNameIsRefused() async throws {
        let rig = try await ConsoleRig()
        try await rig.withLiveConsole(rig.console()) { client in
            let port = Int(client.base.split(separator: ":").last!)!
            func status(host: String) async throws -> RawResponse {
                let raw = try RawClient(port: port)
                try await raw.send("GET / HTTP/1.1\r\nHost: \(host)\r\nConnection: close\r\n\r\n")
                return try await raw.readResponse()
            }
            // A name an attacker pointed at 127.0.0.1 (DNS rebinding) is not the console's.
            let rebound = try await status(host: "attacker.example:8080")
            #expect(rebound.status == 403)
            #expect(!rebound.text.contains("diag."))
            #expect(try await status(host: "localhost:9090").status == 200)
            #expect(try await status(host: "[::1]:9090").status == 200)
        }
    }
}
