@testable import BillportApp
import BillportCore
import Foundation
import Glibc
import TestSupport
import Testing

/// `log.format`: a real `billport serve` writing JSON lines that a JSON parser reads one by one,
/// and a misspelt format stopping `billport` at start with the key named.
@Suite struct LogFormatProcessTests {
    let billport = ChildProcess.builtProduct("billport")

    @Test func theFormatIsReadFromTheFileAndTheEnvironmentAndAnythingElseIsRefusedNamingTheKey() throws {
        #expect(try BillportConfiguration.load(fileText: nil, fileName: "t.json", environment: [:]).logFormat == .text)
        #expect(try BillportConfiguration.load(fileText: #"{"log": {"format": "json"}}"#, fileName: "t.json", environment: [:]).logFormat == .json)
        #expect(try BillportConfiguration.load(fileText: #"{"log": {"format": "json"}}"#, fileName: "t.json",
                                               environment: ["BILLPORT_LOG_FORMAT": "text"]).logFormat == .text)
        do {
            _ = try BillportConfiguration.load(fileText: nil, fileName: "t.json", environment: ["BILLPORT_LOG_FORMAT": "logfmt"])
            Issue.record("logfmt was accepted")
        } catch {
            #expect("\(error)" == #"config log.format: must be one of text, json (got "logfmt") (from BILLPORT_LOG_FORMAT)"#)
        }
    }

    @Test func serveWritesOneJSONObjectPerLineIncludingItsAccessLog() async throws {
        #expect(FileManager.default.isExecutableFile(atPath: billport), "build billport first: swift build")
        let dir = TemporaryDirectory()
        let environment = ["BILLPORT_DATA_DIRECTORY": dir.path, "BILLPORT_HTTP_PORT": "0", "BILLPORT_SCHEDULER_ENABLED": "false",
                           "BILLPORT_LOG_FORMAT": "json"]
        let serve = try ChildProcess(billport, ["serve"], directory: dir.path, environment: environment, name: "serve")
        let port = try await serve.listeningPort()
        let client = try RawClient(port: port)
        try await client.send("GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(try await client.readResponse().status == 200)
        serve.send(SIGTERM)
        #expect(try await serve.waitForExit() == 0, "\(serve.stderr)")

        let lines = serve.stderr.split(separator: "\n")
        #expect(lines.count >= 2)
        let objects = try lines.map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not a JSON object: \(line)")
        }
        for object in objects {
            #expect(Set(object.keys) == ["time", "level", "label", "message", "fields"])
            #expect(ISO8601.parse(object["time"] as? String ?? "") != nil)
        }
        let access = try #require(objects.first { $0["message"] as? String == "request" })
        let fields = try #require(access["fields"] as? [String: String])
        #expect(fields["method"] == "GET" && fields["route"] == "/healthz" && fields["status"] == "200")
        #expect(access["label"] as? String == "http" && access["level"] as? String == "info")
    }

    @Test func aFormatNotKnownStopsBillportAtStartNamingTheKey() async throws {
        let dir = TemporaryDirectory()
        let serve = try ChildProcess(billport, ["serve"], directory: dir.path,
                                     environment: ["BILLPORT_DATA_DIRECTORY": dir.path, "BILLPORT_LOG_FORMAT": "xml"], name: "serve")
        #expect(try await serve.waitForExit() == 78)
        #expect(serve.stderr.contains("config log.format: must be one of text, json"), "\(serve.stderr)")
    }
}
