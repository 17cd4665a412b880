import Foundation
import Glibc
import TestSupport
import Testing

/// Real `billport serve` and `billport worker` processes with the metrics listener on: work done
/// through the API moves the counters, the scrape parses with `prometheus_client` (PyPI), and the
/// dashboard, the alert rules and docs/METRICS.md name only metrics a real scrape has.
@Suite(.serialized, .enabled(if: MetricsScrape.parserAvailable,
                             "skipped: the prometheus_client PyPI package is not in .build/test-venv (`make test-venv`)"))
struct MetricsProcessTests {
    let billport = ChildProcess.builtProduct("billport")

    @Test func countersMoveWithTheWorkServeDoesAndTheScrapeParses() async throws {
        let dir = TemporaryDirectory()
        let sink = try await SMTPSink()
        let metricsPort = try HTTPPort.free()
        let environment = ["BILLPORT_DATA_DIRECTORY": dir.path, "BILLPORT_HTTP_PORT": "0", "BILLPORT_METRICS_PORT": String(metricsPort),
                           "BILLPORT_MAIL_TRANSPORT": "smtp", "BILLPORT_MAIL_URL": sink.url, "BILLPORT_MAIL_START_TLS": "off"]
        let demo = try ChildProcess(billport, ["demo", "--json"], directory: dir.path, environment: environment, name: "demo")
        #expect(try await demo.waitForExit() == 0)
        let data = try #require(try JSONSerialization.jsonObject(with: Data(demo.stdout.utf8)) as? [String: Any])
        let token = try #require(data["apiToken"] as? String), invoice = try #require(data["invoiceId"] as? Int)
        let shareToken = try #require(data["shareToken"] as? String)

        let serve = try ChildProcess(billport, ["serve"], directory: dir.path, environment: environment, name: "serve")
        let port = try await serve.listeningPort()
        let auth = "Authorization: Bearer \(token)\r\n"
        #expect(try await MetricsScrape.request(port, "GET /healthz").status == 200)
        #expect(try await MetricsScrape.request(port, "GET /api/invoices/\(invoice)", headers: auth).status == 200)
        #expect(try await MetricsScrape.request(port, "GET /api/invoices/999999", headers: auth).status == 404)
        #expect(try await MetricsScrape.request(port, "GET /invoice/\(shareToken)").status == 200)
        let send = try await MetricsScrape.request(port, "POST /api/invoices/\(invoice)/send", headers: auth, body: "{}")
        #expect(send.status == 202, "\(send.text)")
        _ = try await sink.waitForMessages(1)

        // Only the metrics port serves /metrics; besides it, only the operator's queue page.
        #expect(try await MetricsScrape.request(port, "GET /metrics").status == 404)
        #expect(try await MetricsScrape.request(metricsPort, "GET /healthz").status == 404)
        let page = try await MetricsScrape.request(metricsPort, "GET /")
        #expect(page.status == 200 && page.header("Content-Type")?.hasPrefix("text/html") == true && page.text.contains("Queue"))
        let raw = try await MetricsScrape.request(metricsPort, "GET /metrics")
        #expect(raw.status == 200)
        #expect(raw.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8")

        var scrape = try await MetricsScrape.parse(raw.text)
        try await eventually("the email job's run to be counted") {
            scrape = try await MetricsScrape.parse(try await MetricsScrape.request(metricsPort, "GET /metrics").text)
            return scrape.value("billport_job_runs_total", ["kind": "email.send", "outcome": "completed"]) ?? 0 >= 1
        }
        let requests = "billport_http_requests_total"
        #expect(scrape.value(requests, ["route": "/healthz", "method": "GET", "status_class": "2xx"]) == 1)
        #expect(scrape.value(requests, ["route": "/api/invoices/{id}", "method": "GET", "status_class": "2xx"]) == 1)
        #expect(scrape.value(requests, ["route": "/api/invoices/{id}", "method": "GET", "status_class": "4xx"]) == 1)
        #expect(scrape.value(requests, ["route": "/invoice/{token}", "method": "GET", "status_class": "2xx"]) == 1)
        #expect(scrape.value(requests, ["route": "unmatched", "method": "GET", "status_class": "4xx"]) == 1, "the API port's /metrics")
        #expect(scrape.labelValues(requests, "route").allSatisfy { $0 == "unmatched" || $0.hasPrefix("/") && !$0.contains(shareToken) })
        #expect(scrape.value("billport_http_request_duration_seconds_count", ["route": "/api/invoices/{id}"]) == 2)
        #expect(scrape.value("billport_http_request_duration_seconds_bucket", ["route": "/healthz", "le": "+Inf"]) == 1)
        #expect(scrape.value("billport_emails_total", ["outcome": "sent"]) == 1)
        #expect(scrape.value("billport_emails_total", ["outcome": "failed"]) == 0)
        #expect(scrape.value("billport_job_run_duration_seconds_count", ["kind": "email.send"]) == 1)
        #expect(scrape.value("billport_views_recorded_total", [:]) == 1)
        #expect(scrape.value("billport_scheduler_leader", [:]) == 1)
        #expect(scrape.value("billport_queue_jobs", ["queue": "mail", "state": "ready"]) == 0)
        #expect(scrape.value("billport_queue_oldest_ready_age_seconds", ["queue": "default"]) != nil)
        #expect(scrape.value("billport_process_resident_memory_bytes", [:]) ?? 0 > 1_000_000)
        #expect(scrape.value("billport_process_open_fds", [:]) ?? 0 > 3)
        #expect(scrape.value("billport_process_cpu_seconds", [:]) ?? 0 > 0)
        #expect(scrape.value("billport_sqlite_file_bytes", ["file": "database"]) ?? 0 > 0)
        #expect(scrape.value("billport_log_lines_dropped_total", [:]) == 0)

        // What operators are handed refers only to what a scrape has, and the docs list all of it.
        let names = scrape.names
        for (file, referenced) in try MetricsScrape.referencedNames() {
            #expect(!referenced.isEmpty, "\(file) names no metric")
            #expect(referenced.subtracting(names).isEmpty, "\(file) names metrics no scrape has: \(referenced.subtracting(names).sorted())")
        }
        let documented = try MetricsScrape.documentedNames()
        #expect(Set(scrape.families.map(\.exposedName)).subtracting(documented).isEmpty, "undocumented: \(Set(scrape.families.map(\.exposedName)).subtracting(documented).sorted())")
        #expect(documented.subtracting(names).isEmpty, "documented but not exposed: \(documented.subtracting(names).sorted())")

        serve.send(SIGTERM)
        #expect(try await serve.waitForExit() == 0, "\(serve.stderr)")
    }

    @Test func aWorkerProcessExposesItsOwnCounters() async throws {
        let dir = TemporaryDirectory()
        let metricsPort = try HTTPPort.free()
        let environment = ["BILLPORT_DATA_DIRECTORY": dir.path, "BILLPORT_METRICS_PORT": String(metricsPort), "BILLPORT_WORKER_POLL_INTERVAL": "50ms",
                           "BILLPORT_WORKER_MAX_POLL_INTERVAL": "200ms"]
        let worker = try ChildProcess(billport, ["worker"], directory: dir.path, environment: environment, name: "worker")
        try await eventually("the worker's metrics listener") { worker.stderr.contains("metrics listening") || !worker.isRunning }
        let enqueue = try ChildProcess(billport, ["jobs", "enqueue", "diag.noop"], directory: dir.path, environment: environment, name: "enqueue")
        #expect(try await enqueue.waitForExit() == 0, "\(enqueue.stderr)")
        var scrape = MetricsScrape(families: [])
        try await eventually("the worker to count its run") {
            scrape = try await MetricsScrape.parse(try await MetricsScrape.request(metricsPort, "GET /metrics").text)
            return scrape.value("billport_job_runs_total", ["kind": "diag.noop", "outcome": "completed"]) == 1
        }
        #expect(scrape.value("billport_scheduler_leader", [:]) == 0, "a worker runs no scheduler")
        #expect(scrape.samples("billport_http_requests_total").isEmpty, "a worker answers no API requests")
        worker.send(SIGTERM)
        #expect(try await worker.waitForExit() == 0, "\(worker.stderr)")
    }
}

/// A scrape as `prometheus_client`'s parser read it (Tests/Python/parse_metrics.py).
struct MetricsScrape {
    static let root = WebhookRig.root
    static let python = WebhookRig.python
    static let script = root.appendingPathComponent("Tests/Python/parse_metrics.py").path
    static var parserAvailable: Bool {
        FileManager.default.isExecutableFile(atPath: python) && (try? Spawn.run(python, ["-c", "import prometheus_client"]).status) == 0
    }

    struct Family: Decodable {
        let name: String
        let type: String
        let help: String
        let samples: [Sample]
        /// The name as exposed: the parser drops a counter's `_total`.
        var exposedName: String { type == "counter" ? name + "_total" : name }
    }

    struct Sample: Decodable {
        let name: String
        let labels: [String: String]
        let value: Double?

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decode(String.self, forKey: .name)
            labels = try container.decode([String: String].self, forKey: .labels)
            value = (try? container.decode(Double.self, forKey: .value)) ?? ((try? container.decode(String.self, forKey: .value)) == "+Inf" ? .infinity : nil)
        }

        enum CodingKeys: String, CodingKey { case name, labels, value }
    }

    let families: [Family]

    /// Every family and sample name.
    var names: Set<String> { Set(families.flatMap { [$0.name, $0.exposedName] + $0.samples.map(\.name) }) }

    func samples(_ name: String) -> [Sample] { families.flatMap(\.samples).filter { $0.name == name } }

    func value(_ name: String, _ labels: [String: String]) -> Double? {
        samples(name).first { $0.labels == labels }?.value
    }

    func labelValues(_ name: String, _ label: String) -> Set<String> { Set(samples(name).compactMap { $0.labels[label] }) }

    static func parse(_ text: String) async throws -> MetricsScrape {
        let scratch = TemporaryDirectory()
        let file = scratch.file("scrape.txt")
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        let output = try await offPool { try Spawn.run(python, [script], stdin: file) }
        guard output.status == 0 else { throw ParseFailed(message: String(decoding: output.stderr, as: UTF8.self), text: text) }
        return MetricsScrape(families: try JSONDecoder().decode([Family].self, from: output.stdout))
    }

    struct ParseFailed: Error, CustomStringConvertible {
        let message: String
        let text: String
        var description: String { "prometheus_client refused the scrape: \(message)\n\(text)" }
    }

    static func request(_ port: Int, _ line: String, headers: String = "", body: String = "") async throws -> RawResponse {
        let client = try RawClient(port: port)
        let framing = body.isEmpty ? "" : "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n"
        try await client.send("\(line) HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\(headers)\(framing)\r\n\(body)")
        return try await client.readResponse(timeout: .seconds(30))
    }

    /// `billport_…` names in the dashboard's queries and the alert rules' `expr:` lines.
    static func referencedNames() throws -> [String: Set<String>] {
        let dashboard = try String(contentsOf: root.appendingPathComponent("deploy/grafana/billport-dashboard.json"), encoding: .utf8)
        var expressions: [String] = []
        func walk(_ value: Any) {
            if let object = value as? [String: Any] {
                for (key, member) in object { if key == "expr", let text = member as? String { expressions.append(text) } else { walk(member) } }
            } else if let array = value as? [Any] {
                array.forEach(walk)
            }
        }
        walk(try JSONSerialization.jsonObject(with: Data(dashboard.utf8)))
        let alerts = try String(contentsOf: root.appendingPathComponent("deploy/prometheus/billport-alerts.yml"), encoding: .utf8)
        let alertExpressions = alerts.split(separator: "\n").filter { $0.trimmingCharacters(in: .whitespaces).hasPrefix("expr:") }.map(String.init)
        return ["deploy/grafana/billport-dashboard.json": metricNames(in: expressions), "deploy/prometheus/billport-alerts.yml": metricNames(in: alertExpressions)]
    }

    /// The first column of docs/METRICS.md's tables: `| `billport_…` | …`.
    static func documentedNames() throws -> Set<String> {
        let text = try String(contentsOf: root.appendingPathComponent("docs/METRICS.md"), encoding: .utf8)
        return Set(text.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("| `billport_") else { return nil }
            return line.dropFirst(3).prefix { $0 != "`" }.description
        })
    }

    static func metricNames(in expressions: [String]) -> Set<String> {
        let pattern = try! NSRegularExpression(pattern: "billport_[a-z_]+")
        return Set(expressions.flatMap { text in
            pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)).map { String(text[Range($0.range, in: text)!]) }
        })
    }
}
