import Curl
import Foundation
import Testing

@Suite struct CurlHandleTests {
    /// Handles made on many threads at once share the one global initialisation.
    @Test func handlesCanBeMadeConcurrently() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<16 {
                group.addTask { _ = try CurlHandle() }
            }
            try await group.waitForAll()
        }
    }

    @Test func codesCarryCurlsText() {
        #expect(CurlCode.ok.isOK)
        #expect(!CurlCode.couldNotConnect.isOK)
        #expect(CurlCode.ok.rawValue == 0)
        #expect(CurlCode.couldNotConnect.rawValue == 7)
        #expect(CurlCode.couldNotConnect.summary == "Couldn't connect to server")
    }

    /// Port 9 (discard) on loopback has no listener here: the connect is refused.
    @Test func aRefusedConnectReportsItsCodeDetailAndErrno() throws {
        let curl = try CurlHandle()
        try curl.set(.url("http://127.0.0.1:9/"))
        try curl.set(.noSignal(true))
        try curl.set(.connectTimeoutMilliseconds(2_000))
        let code = curl.perform(CurlCallbacks(onBody: { $0.count }))
        #expect(code == .couldNotConnect)
        #expect(!curl.errorDetail.isEmpty)
        #expect(curl.info(.osErrno) == Int(ECONNREFUSED))

        curl.reset()
        try curl.set(.url("nosuchscheme://x"))
        #expect(curl.perform(CurlCallbacks()) == .unsupportedProtocol)
    }

    @Test func listsCanBeReplacedAndCleared() throws {
        let curl = try CurlHandle()
        try curl.set(.httpHeaders(["Expect:", "X-One: 1"]))
        try curl.set(.httpHeaders(["Expect:"]))
        try curl.set(.mailRecipients(["<a@example.com>", "<b@example.com>"]))
        try curl.set(.mailRecipients([]))
    }
}
