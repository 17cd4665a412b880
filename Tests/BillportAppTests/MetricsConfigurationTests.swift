@testable import BillportApp
import Foundation
import Testing

/// `metrics.host`, `metrics.port`, `metrics.allowPublic`: off by default, loopback unless the
/// operator says otherwise.
@Suite struct MetricsConfigurationTests {
    func load(_ file: String? = nil, _ environment: [String: String] = [:]) throws -> BillportConfiguration {
        try BillportConfiguration.load(fileText: file, fileName: "test.json", environment: environment)
    }

    @Test func metricsAreOffByDefaultOnLoopbackAndTheShippedFileAgrees() throws {
        let defaults = try load()
        #expect(!defaults.metrics.enabled)
        #expect(defaults.metrics == MetricsSettings())
        #expect(defaults.metrics.host == "127.0.0.1")
        let shipped = try load(try String(contentsOfFile: "config/billport.json", encoding: .utf8))
        #expect(shipped.metrics == defaults.metrics)
        let on = try load(nil, ["BILLPORT_METRICS_PORT": "9465"])
        #expect(on.metrics.enabled && on.metrics.port == 9465)
    }

    @Test func aPublicHostIsRefusedUnlessAllowed() throws {
        for host in ["0.0.0.0", "10.0.0.5", "::", "metrics.example.com"] {
            let error = #expect(throws: ConfigError.self) { try load(nil, ["BILLPORT_METRICS_HOST": host, "BILLPORT_METRICS_PORT": "9465"]) }
            #expect(error?.key == "metrics.host")
            #expect(error?.message.contains("metrics.allowPublic") == true)
        }
        let allowed = try load(#"{"metrics": {"host": "0.0.0.0", "port": 9465, "allowPublic": true}}"#)
        #expect(allowed.metrics.host == "0.0.0.0" && allowed.metrics.allowPublic)
        for host in ["127.0.0.1", "127.0.0.2", "::1", "localhost"] {
            #expect(try load(nil, ["BILLPORT_METRICS_HOST": host]).metrics.host == host)
        }
        #expect(throws: ConfigError.self) { try load(#"{"metrics": {"port": 70000}}"#) }
    }
}
