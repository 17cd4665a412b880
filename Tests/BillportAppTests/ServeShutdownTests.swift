import Foundation
import Glibc
import Relational
import SQLite
import TestSupport
import Testing

/// A real `billport serve` stopping in order: the HTTP server drains before the view recorder
/// flushes for the last time.
@Suite struct ServeShutdownTests {
    let billport = ChildProcess.builtProduct("billport")

    /// The request is held between its head and its body (`Expect: 100-continue`: the interim
    /// 100 proves the server has read the head, so the request counts as in flight), SIGTERM
    /// arrives, the test waits until the listener is closed (the drain has begun), and only then
    /// sends the body. The view that request records is in the database once serve has exited.
    @Test func aViewRecordedDuringTheHTTPDrainIsStoredBeforeExit() async throws {
        #expect(FileManager.default.isExecutableFile(atPath: billport), "build billport first: swift build")
        let dir = TemporaryDirectory()
        let environment = ["BILLPORT_DATA_DIRECTORY": dir.path, "BILLPORT_HTTP_PORT": "0", "BILLPORT_SCHEDULER_ENABLED": "false"]
        let demo = try ChildProcess(billport, ["demo", "--json"], directory: dir.path, environment: environment, name: "demo")
        #expect(try await demo.waitForExit() == 0)
        let shareToken = try #require(
            (try JSONSerialization.jsonObject(with: Data(demo.stdout.utf8)) as? [String: Any])?["shareToken"] as? String)

        let serve = try ChildProcess(billport, ["serve"], directory: dir.path, environment: environment, name: "serve")
        let port = try await serve.listeningPort()
        let client = try RawClient(port: port)
        try await client.send("GET /invoice/\(shareToken) HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\n")
        #expect(try await client.readResponse(timeout: .seconds(30)).status == 100)

        serve.send(SIGTERM)
        try await eventually("the listener is closed") { (try? RawClient(port: port)) == nil }
        try await client.send("x")
        let page = try await client.readResponse(timeout: .seconds(30))
        #expect(page.status == 200)
        #expect(page.header("Connection") == "close")
        #expect(try await serve.waitForExit() == 0, "\(serve.stderr)")

        let database = try Database(path: dir.path + "/billport.sqlite")
        let views = try await database.read { db in try db.queryOne("SELECT count(*) FROM views") { $0.int(0) } ?? -1 }
        #expect(views == 1, "\(serve.stderr)")
    }
}
