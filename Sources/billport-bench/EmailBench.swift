import Documents
import Foundation
import Glibc
import Mail
import Synchronization

/// The `email` group: an invoice email (the sample invoice's PDF attached) sent over SMTP to a
/// local aiosmtpd sink that discards what it gets, over one kept connection and over four
/// transports at once; Python's smtplib pushing the same bytes to the same sink is the
/// yardstick. The sink (one Python process) bounds both sides alike; on a shared machine the
/// figures move by ±15 % from run to run, hence medians of alternating rounds.
struct EmailBench {
    let directory: String
    /// Messages per measurement.
    var count = 2000
    /// Measurements per figure (the median is reported).
    var rounds = 3

    static let sinkScript = "Tests/MailTests/Support/smtp-sink.py"
    static let peerScript = "bench/smtplib-peer.py"

    func run(_ report: inout BenchReport) async throws {
        for script in [Self.sinkScript, Self.peerScript] where !FileManager.default.fileExists(atPath: script) {
            throw BenchFailure("\(script) not found; run the bench from the repository root (`make bench ONLY=email`)")
        }
        let python = FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") ? "/usr/bin/python3"
            : try HTTPBench.executableInPath("python3", hint: "install python3 and python3-aiosmtpd")
        let message = try Self.invoiceMessage()
        let rendered = try message.render()
        report.add("email.message_kb", Double(rendered.bytes.count) / 1024, "KB",
                   target: "PDF \(message.attachments[0].data.count / 1024) KB attached")
        report.add("email.render.ms", try Self.medianRenderMilliseconds(message), "ms")

        let data = directory + "/email"
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        let messageFile = data + "/message.eml"
        try Data(rendered.bytes).write(to: URL(fileURLWithPath: messageFile))
        let sink = try await Sink.start(python: python, log: data + "/sink.log")
        defer { sink.stop() }

        // Rounds alternate ours and the peer so that drift in the sink or the machine hits both;
        // each figure is the median of its rounds.
        var samples: [String: [Double]] = [:]
        for _ in 0..<rounds {
            for connections in [1, 4] {
                samples["ours\(connections)", default: []].append(try await sendOurs(rendered, port: sink.port, transports: connections))
                samples["peer\(connections)", default: []].append(
                    try peer(python: python, port: sink.port, file: messageFile, connections: connections, errorFile: data + "/peer.err"))
            }
        }
        func median(_ key: String) -> Double { samples[key, default: [0]].sorted()[samples[key, default: [0]].count / 2] }
        let (ours1, ours4, peer1, peer4) = (median("ours1"), median("ours4"), median("peer1"), median("peer4"))
        report.add("email.c1.rps", ours1, "msg/s", target: ">= peer \(BenchReport.format(peer1))", meets: ours1 >= peer1)
        report.add("email.c4.rps", ours4, "msg/s", target: ">= peer \(BenchReport.format(peer4))", meets: ours4 >= peer4)
        report.add("email.peer.c1.rps", peer1, "msg/s", target: "Python smtplib reference")
        report.add("email.peer.c4.rps", peer4, "msg/s", target: "Python smtplib reference")
    }

    /// The sample invoice as Billport will mail it: text and HTML, the PDF, one-click unsubscribe.
    static func invoiceMessage() throws -> MailMessage {
        let pdf = try PDFInvoiceRenderer().render(SampleInvoice.sheet(lines: 8))
        return MailMessage(
            from: MailAddress("billing@demo.example", name: "Demo Consulting GmbH"),
            to: [MailAddress("zoe@example.com", name: "Zoë Müller-Łukasiewicz")],
            subject: "Rechnung INV-2026-0042 — fällig am 01.12.2026",
            text: "Hallo Zoë,\n\nanbei Ihre Rechnung INV-2026-0042.\n\nOnline ansehen: https://billing.demo.example/invoice/abc\n",
            html: "<p>Hallo Zoë,</p><p>anbei Ihre Rechnung <b>INV-2026-0042</b>.</p>",
            attachments: [MailAttachment(filename: "INV-2026-0042.pdf", contentType: "application/pdf", data: pdf)],
            listUnsubscribe: ListUnsubscribe(url: "https://billing.demo.example/unsubscribe/abc", mailto: "unsubscribe@demo.example"))
    }

    static func medianRenderMilliseconds(_ message: MailMessage) throws -> Double {
        var times: [Double] = []
        for _ in 0..<200 {
            let start = ContinuousClock.now
            _ = try message.render()
            times.append(seconds(since: start) * 1000)
        }
        return times.sorted()[times.count / 2]
    }

    /// `count` messages over `transports` SMTP transports, each on a thread of its own (sends
    /// block); each connects and sends one message before the clock starts.
    func sendOurs(_ message: RenderedMail, port: Int, transports count: Int) async throws -> Double {
        let configuration = MailConfiguration(transport: .smtp, url: "smtp://127.0.0.1:\(port)", startTLS: .off)
        let transports = try (0..<count).map { _ in try SMTPTransport(configuration: configuration) }
        let envelope = MailEnvelope(for: message)
        try await Self.onThreads(count) { index in _ = try transports[index].send(message, envelope: envelope) }
        let share = self.count / count
        let start = ContinuousClock.now
        try await Self.onThreads(count) { index in
            for _ in 0..<share { _ = try transports[index].send(message, envelope: envelope) }
        }
        return Double(share * count) / seconds(since: start)
    }

    /// Runs `body(0..<count)` on `count` new threads and resumes when all are done.
    static func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) throws -> Void) async throws {
        let failures = Mutex<[any Error]>([])
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let group = DispatchGroup()
            for index in 0..<count {
                group.enter()
                Thread {
                    do { try body(index) } catch { failures.withLock { $0.append(error) } }
                    group.leave()
                }.start()
            }
            group.notify(queue: .global()) { continuation.resume() }
        }
        if let failure = failures.withLock({ $0.first }) { throw failure }
    }

    /// Python's smtplib over `connections` connections: messages per second.
    func peer(python: String, port: Int, file: String, connections: Int, errorFile: String) throws -> Double {
        let run = try HTTPBench.capture(python, [Self.peerScript, String(port), file, String(count), String(connections)],
                                        environment: nil, errorFile: errorFile)
        guard run.status == 0, let line = run.output.split(separator: "\n").first(where: { $0.hasPrefix("PEER ") }),
              let rate = Double(line.dropFirst(5)) else {
            throw BenchFailure("\(Self.peerScript) exited with \(run.status): \(run.errorText)\(run.output)")
        }
        return rate
    }

    /// The aiosmtpd sink with storage off, on an ephemeral port.
    struct Sink {
        let process: Process
        let port: Int

        static func start(python: String, log: String) async throws -> Sink {
            let process = try HTTPBench.launchLogged(python, [EmailBench.sinkScript, "--discard"], log: log)
            let start = ContinuousClock.now
            while true {
                let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("PORT ") }), let port = Int(line.dropFirst(5)) {
                    return Sink(process: process, port: port)
                }
                guard process.isRunning, ContinuousClock.now - start < .seconds(20) else {
                    if process.isRunning { process.terminate() }
                    throw BenchFailure("the SMTP sink did not start (is python3-aiosmtpd installed?); log \(log):\n\(text.suffix(2000))")
                }
                try await Task.sleep(for: .milliseconds(20))
            }
        }

        func stop() {
            guard process.isRunning else { return }
            process.terminate()
            process.waitUntilExit()
        }
    }
}
