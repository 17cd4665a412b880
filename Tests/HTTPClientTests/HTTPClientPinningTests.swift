import BillportCore
import Foundation
import HTTPClient
import HTTPServer
import Testing

/// What webhook delivery asks of the client: connect only to the addresses a check approved,
/// keep only the start of an answer, never follow a redirect.
@Suite struct HTTPClientPinningTests {
    @Test func aPinnedRequestConnectsToThePinnedAddressWithoutResolvingTheName() async throws {
        try await withServer(handler: echo) { base in
            let port = Int(base.split(separator: ":").last!)!
            let client = try HTTPClient()
            // `.invalid` never resolves (RFC 6761): only the pin can get this request anywhere.
            let request = HTTPClientRequest(method: .post, url: "http://receiver.invalid:\(port)/hooks", body: Array("{}".utf8),
                                            pinnedAddresses: .init(host: "receiver.invalid", port: port, addresses: [IPAddress("127.0.0.1")!]))
            let response = try await client.send(request)
            #expect(response.status == 200)
            #expect(response.text.contains("host: receiver.invalid:\(port)\n"))
            await #expect(throws: HTTPClientError.self, "without the pin the name goes nowhere") {
                try await HTTPClient().send(HTTPClientRequest(method: .post, url: "http://receiver.invalid:\(port)/hooks"))
            }
        }
    }

    @Test func aTruncatingClientKeepsTheStatusAndTheFirstBytesOfALargeAnswer() async throws {
        let large: HTTPHandler = { _ in HTTPResponse(status: 503, headers: ["Content-Type": "text/plain"], body: Array(repeating: UInt8(ascii: "x"), count: 200_000)) }
        try await withServer(handler: large) { base in
            let client = try HTTPClient(configuration: HTTPClientConfiguration(maxResponseBytes: 1024, truncatesResponseBody: true))
            let response = try await client.send(HTTPClientRequest(method: .post, url: base + "/hooks"))
            #expect(response.status == 503)
            #expect(response.body.count == 1024)
            let strict = try HTTPClient(configuration: HTTPClientConfiguration(maxResponseBytes: 1024))
            await #expect(throws: HTTPClientError.self) { try await strict.send(HTTPClientRequest(method: .post, url: base + "/hooks")) }
        }
    }

    @Test func aRedirectIsAnAnswerNotFollowed() async throws {
        let redirect: HTTPHandler = { request in
            request.target == "/hooks" ? HTTPResponse(status: 307, headers: ["Location": "/elsewhere"]) : HTTPResponse(status: 200, body: Array("followed".utf8))
        }
        try await withServer(handler: redirect) { base in
            let response = try await HTTPClient().send(HTTPClientRequest(method: .post, url: base + "/hooks", body: Array("{}".utf8)))
            #expect(response.status == 307)
            #expect(response.text != "followed")
        }
    }

    @Test func aPinNeedsAnAddressAndAPlainHostName() async throws {
        let client = try HTTPClient()
        for pin in [HTTPClientRequest.PinnedAddresses(host: "a.example", port: 443, addresses: []),
                    HTTPClientRequest.PinnedAddresses(host: "a.example:1:10.0.0.1,b", port: 443, addresses: [IPAddress("127.0.0.1")!])] {
            await #expect(throws: HTTPClientError.self) {
                try await client.send(HTTPClientRequest(url: "https://a.example/", pinnedAddresses: pin))
            }
        }
    }
}
