import Foundation
import HTTPServer
import TestSupport
import Testing

/// Requests no HTTP client library would send, against the real API server: each gets its
/// status and, where the connection cannot be trusted any more, a close.
@Suite struct MalformedRequestTests {
    @Test func oversizedHeadersAre431AndClosed() async throws {
        let h = try APIHarness(transport: .live)
        let client = try RawClient(port: h.port)
        try await client.send("GET /healthz HTTP/1.1\r\nHost: a\r\nX-Big: \(String(repeating: "x", count: 40_000))\r\n\r\n")
        let response = try await client.readResponse()
        #expect(response.status == 431)
        #expect(try await client.waitForClose(timeout: .seconds(3)))
        await h.stop()
    }

    @Test func anOverlongRequestLineIs414() async throws {
        let h = try APIHarness(transport: .live)
        let client = try RawClient(port: h.port)
        try await client.send("GET /api/invoices/view/\(String(repeating: "a", count: 9000)) HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(try await client.readResponse().status == 414)
        await h.stop()
    }

    @Test func badChunkedEncodingIs400AndClosed() async throws {
        let h = try APIHarness(transport: .live)
        let acme = try await h.tenant("acme")
        let client = try RawClient(port: h.port)
        try await client.send("POST /api/customers HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer \(acme.token)\r\n"
                              + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n")
        #expect(try await client.readResponse().status == 400)
        #expect(try await client.waitForClose(timeout: .seconds(3)))
        await h.stop()
    }

    @Test func aValidChunkedBodyIsAccepted() async throws {
        let h = try APIHarness(transport: .live)
        let acme = try await h.tenant("acme")
        let client = try RawClient(port: h.port)
        let json = #"{"name": "Chunky Bacon", "email": "cb@example.com"}"#
        let half = json.utf8.count / 2
        let first = String(json.prefix(half)), second = String(json.dropFirst(half))
        try await client.send("POST /api/customers HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer \(acme.token)\r\n"
                              + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                              + "\(String(first.utf8.count, radix: 16))\r\n\(first)\r\n\(String(second.utf8.count, radix: 16))\r\n\(second)\r\n0\r\n\r\n")
        let response = try await client.readResponse()
        #expect(response.status == 201)
        #expect(response.text.contains("Chunky Bacon"))
        await h.stop()
    }

    @Test func conflictingLengthsAre400() async throws {
        let h = try APIHarness(transport: .live)
        let client = try RawClient(port: h.port)
        try await client.send("POST /api/customers HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}")
        #expect(try await client.readResponse().status == 400)
        await h.stop()
    }

    @Test func aSlowClientGets408AndIsClosed() async throws {
        let h = try APIHarness(transport: .live) // head and body timeouts of 300 ms
        let client = try RawClient(port: h.port)
        try await client.send("POST /api/customers HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: 50\r\n\r\n{\"na")
        let response = try await client.readResponse(timeout: .seconds(5))
        #expect(response.status == 408)
        #expect(try await client.waitForClose(timeout: .seconds(3)))
        await h.stop()
    }

    @Test func unsupportedVersionsAndTransferCodingsAreRefused() async throws {
        let h = try APIHarness(transport: .live)
        let old = try RawClient(port: h.port)
        try await old.send("GET /healthz HTTP/2.0\r\nHost: a\r\n\r\n")
        #expect(try await old.readResponse().status == 505)
        let gzip = try RawClient(port: h.port)
        try await gzip.send("POST /api/customers HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n")
        #expect(try await gzip.readResponse().status == 501)
        let expect = try RawClient(port: h.port)
        try await expect.send("POST /api/customers HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\n\r\n")
        #expect(try await expect.readResponse().status == 411)
        await h.stop()
    }
}
