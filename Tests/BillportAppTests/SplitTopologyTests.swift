import Foundation
import Relational
import SQLite
import TestSupport
import Testing

/// The split shape of `deploy/systemd`: `billport api`, `billport worker` and `billport
/// scheduler` as three processes on one database file.
@Suite(.serialized, .timeLimit(.minutes(1))) struct SplitTopologyTests {
    let billport = ChildProcess.builtProduct("billport")

    @Test func apiWorkerAndSchedulerProcessesTogetherDoWhatServeDoes() async throws {
        let dir = TemporaryDirectory()
        let environment = ["BILLPORT_DATA_DIRECTORY": dir.file("data"), "BILLPORT_HTTP_PORT": "0",
                           "BILLPORT_SCHEDULER_SCHEDULES": #"{"heartbeat": {"every": "1s", "kind": "diag.noop"}}"#]
        func run(_ arguments: [String]) async throws -> (status: Int32?, out: String, err: String) {
            let process = try ChildProcess(billport, arguments, directory: dir.path, environment: environment)
            let status = try await process.waitForExit()
            return (status, process.stdout.trimmingCharacters(in: .whitespacesAndNewlines), process.stderr)
        }
        #expect(try await run(["tenant", "create", "acme", "--name", "Acme GmbH"]).status == 0)
        let token = try await run(["token", "--tenant", "acme", "--perms", "invoices:write"]).out

        let api = try ChildProcess(billport, ["api"], directory: dir.path, environment: environment, name: "api")
        let client = try LiveClient(port: try await api.listeningPort(), token: token)
        let worker = try ChildProcess(billport, ["worker"], directory: dir.path, environment: environment, name: "worker")
        let scheduler = try ChildProcess(billport, ["scheduler"], directory: dir.path, environment: environment, name: "scheduler")
        #expect(api.stderr.contains("roles=http") && !api.stderr.contains("roles=http,"), "the api process runs no workers: \(api.stderr)")

        let customer = try await client.expect(201, "POST", "/api/customers", json: ["name": "Buyer Ltd", "email": "ap@buyer.example"])
        let invoice = try await client.expect(201, "POST", "/api/invoices", json: [
            "customerId": try #require(customer["id"] as? Int), "number": "INV-1", "currency": "EUR",
            "issueDate": "2026-12-01", "dueDate": "2026-12-31",
            "lines": [["description": "Work", "quantity": 1, "unitPrice": 1000, "taxRate": 0]],
        ])
        _ = try await client.expect(200, "POST", "/api/invoices/\(try #require(invoice["id"] as? Int))/issue")
        let database = try Database(path: dir.file("data/billport.sqlite"))
        func done(_ kind: String) async throws -> Int {
            try await database.read { db in try db.queryOne("SELECT count(*) FROM jobs WHERE kind = ? AND state = 'done'", kind) { $0.int(0) } ?? 0 }
        }
        try await eventually(timeout: .seconds(30), "the worker process to render the PDF the api process enqueued") { try await done("pdf.render") == 1 }
        try await eventually(timeout: .seconds(30), "the scheduler process to fire and the worker to run it") { try await done("diag.noop") >= 1 }
        let refused = try await run(["restore", dir.file("data/billport.sqlite")])
        #expect(refused.status == 1 && refused.err.contains("stop it first"), "restore waits for every role to stop")

        for process in [api, scheduler, worker] {
            process.send(SIGTERM)
            #expect(try await process.waitForExit() == 0, "\(process.stderr)")
        }
    }
}
