@testable import BillportApp
import Foundation
import Glibc
import TestSupport
import Testing

/// The connection-slot settings of `http.*`, read from the configuration and in force in a
/// real `billport serve`.
@Suite struct ServeConnectionLimitTests {
    let billport = ChildProcess.builtProduct("billport")

    @Test func connectionLimitsAreReadFromTheConfiguration() throws {
        let defaults = try BillportConfiguration.load(fileText: nil, fileName: "test.json", environment: [:])
        #expect(defaults.http.maxConnectionsPerAddress == 64)
        #expect(defaults.http.nearCapacityIdleTimeout == .seconds(2))
        let configured = try BillportConfiguration.load(
            fileText: #"{"http": {"maxConnectionsPerAddress": 512, "nearCapacityIdleTimeout": "500ms"}}"#,
            fileName: "test.json", environment: ["BILLPORT_HTTP_MAX_CONNECTIONS_PER_ADDRESS": "8"])
        #expect(configured.http.maxConnectionsPerAddress == 8)
        #expect(configured.http.nearCapacityIdleTimeout == .milliseconds(500))
    }

    @Test func aBadPerAddressLimitNamesTheKey() {
        #expect(throws: (any Error).self) {
            try BillportConfiguration.load(fileText: #"{"http": {"maxConnectionsPerAddress": 0}}"#,
                                           fileName: "test.json", environment: [:])
        }
    }

    @Test func serveRefusesAnAddressOverItsLimitAndServesAnotherAddress() async throws {
        #expect(FileManager.default.isExecutableFile(atPath: billport), "build billport first: swift build")
        let dir = TemporaryDirectory()
        let serve = try ChildProcess(billport, ["serve"], directory: dir.path, environment: [
            "BILLPORT_DATA_DIRECTORY": dir.path, "BILLPORT_HTTP_PORT": "0",
            "BILLPORT_SCHEDULER_ENABLED": "false", "BILLPORT_HTTP_MAX_CONNECTIONS_PER_ADDRESS": "1",
        ], name: "serve")
        let port = try await serve.listeningPort()
        let statuses = try await PipelineClient.offload {
            let held = try PipelineClient(port: port)
            var statuses = [try held.status(of: "/healthz")]
            let second = try PipelineClient(port: port)
            statuses.append(try second.status(of: "/healthz"))
            let elsewhere = try PipelineClient(port: port, from: "127.0.0.2")
            statuses.append(try elsewhere.status(of: "/healthz"))
            statuses.append(try held.status(of: "/healthz"))
            return statuses
        }
        #expect(statuses == [200, 503, 200, 200])
        serve.send(SIGTERM)
        #expect(try await serve.waitForExit() == 0)
    }
}
