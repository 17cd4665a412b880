import Foundation
import Glibc
import TestSupport
import Testing

/// schemathesis (PyPI) against a real `billport serve` with demo data: every operation of the
/// document the server serves, valid and invalid inputs, and every answer checked against the
/// document — no 5xx, only documented status codes and content types, bodies as described.
@Suite struct OpenAPIConformanceTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let schemathesis = root.appendingPathComponent(".build/test-venv/bin/schemathesis").path
    static var installed: Bool { FileManager.default.isExecutableFile(atPath: schemathesis) }

    struct Demo: Decodable { let apiToken: String; let shareToken: String; let portalUrl: String }

    @Test(.enabled(if: Self.installed, "skipped: schemathesis could not be installed in .build/test-venv (`make test-venv`)"))
    func schemathesisFindsNoAnswerThatContradictsTheDocument() async throws {
        let billport = ChildProcess.builtProduct("billport")
        let dir = TemporaryDirectory()
        // Public routes unthrottled, so the run reaches them rather than their 429.
        let environment = ["BILLPORT_DATA_DIRECTORY": dir.file("data"), "BILLPORT_HTTP_PORT": "0", "BILLPORT_SCHEDULER_ENABLED": "false",
                           "BILLPORT_HTTP_RATE_LIMIT_PER_ADDRESS": "0", "BILLPORT_HTTP_RATE_LIMIT_PER_TOKEN": "0"]
        let demo = try ChildProcess(billport, ["demo", "--json"], directory: dir.path, environment: environment, name: "demo")
        #expect(try await demo.waitForExit() == 0, "\(demo.stderr)")
        let created = try JSONDecoder().decode(Demo.self, from: Data(demo.stdout.utf8))
        let serve = try ChildProcess(billport, ["serve"], directory: dir.path, environment: environment, name: "serve")
        let port = try await serve.listeningPort()
        let origin = "http://127.0.0.1:\(port)"
        let spare = try await Self.createCustomer(port: port, token: created.apiToken)

        // One worker and a fixed seed: the same cases every run (two workers also once tripped
        // "AST constructor recursion depth mismatch" inside Hypothesis on Python 3.11). Niced, so
        // the timing tests running beside it keep their CPU.
        let run = try ChildProcess("/usr/bin/nice", [
            "-n", "10", Self.schemathesis, "--config-file", Self.root.appendingPathComponent("Tests/Schemathesis/schemathesis.toml").path,
            "run", origin + "/api/openapi.json", "--url", origin,
            "--checks", "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
            "--mode", "all", "--max-examples", "10", "--seed", "1", "--workers", "1",
            "--generation-database", "none", "--no-color", "--output-truncate", "true", "--request-timeout", "30",
        ], directory: dir.path, environment: [
            "HOME": dir.path, "BILLPORT_API_TOKEN": created.apiToken, "BILLPORT_SHARE_TOKEN": created.shareToken,
            "BILLPORT_PORTAL_TOKEN": String(created.portalUrl.split(separator: "/").last ?? ""), "BILLPORT_SPARE_CUSTOMER_ID": String(spare),
        ], name: "schemathesis")
        let status = try await run.waitForExit(timeout: .seconds(300))
        if status == nil { run.send(SIGKILL) }
        let output = run.stdout
        #expect(status == 0, "schemathesis found answers that contradict docs/openapi.json:\n\(output.suffix(20_000))\n\(run.stderr.suffix(4000))")
        #expect(output.contains("Tested: "), "\(output.suffix(4000))")
        if let summary = output.range(of: #"\d+ generated, \d+ passed"#, options: .regularExpression),
           let tested = output.range(of: #"Tested: \d+"#, options: .regularExpression) {
            print("schemathesis: \(output[tested]) operations, \(output[summary]) cases")
        }

        serve.send(SIGTERM)
        #expect(try await serve.waitForExit() == 0, "\(serve.stderr.suffix(4000))")
    }

    /// The committed document against the OpenAPI 3.1 schema (the copy schemathesis ships).
    @Test(.enabled(if: Self.installed, "skipped: schemathesis could not be installed in .build/test-venv (`make test-venv`)"))
    func theDocumentIsValidOpenAPI31() throws {
        let python = Self.root.appendingPathComponent(".build/test-venv/bin/python").path
        let script = """
            import json, sys, jsonschema_rs
            from schemathesis.specs.openapi.definitions import OPENAPI_31
            errors = list(jsonschema_rs.validator_for(OPENAPI_31).iter_errors(json.load(open(sys.argv[1]))))
            print("\\n".join(str(error) for error in errors[:20]))
            sys.exit(1 if errors else 0)
            """
        let result = try Spawn.run(python, ["-c", script, Self.root.appendingPathComponent("docs/openapi.json").path])
        #expect(result.status == 0, "docs/openapi.json is not valid OpenAPI 3.1:\n\(result.text)\(String(decoding: result.stderr, as: UTF8.self))")
    }

    /// A customer whose portal token the run may make and revoke, so the demo customer's token
    /// (the one the portal operations use) stays valid.
    static func createCustomer(port: Int, token: String) async throws -> Int {
        let body = #"{"name": "Spare Ltd", "email": "spare@example.com"}"#
        let client = try RawClient(port: port)
        defer { client.close() }
        try await client.send("POST /api/customers HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer \(token)\r\n"
                              + "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)")
        let response = try await client.readResponse(timeout: .seconds(30))
        struct Created: Decodable { let id: Int }
        #expect(response.status == 201, "\(response.text)")
        return try JSONDecoder().decode(Created.self, from: Data(response.body)).id
    }
}
