import Foundation
import Mail
import TestSupport
import Testing

/// A real SMTP server (Support/smtp-sink.py on aiosmtpd) on an ephemeral loopback port,
/// storing what it receives in a temporary directory; killed when released.
final class SMTPSink: Sendable {
    /// Holds the stored messages and the process's output; removed with the sink.
    let directory: TemporaryDirectory
    /// Where messages land.
    let messages: String
    let process: ChildProcess
    /// The port it listens on (127.0.0.1).
    let port: Int

    /// One accepted message: the bytes as received and the envelope.
    struct Received {
        struct Envelope: Decodable {
            let mail_from: String
            let rcpt_tos: [String]
            let session: Int
            let login: String?
            let helo: String?
            let tls: Bool
        }
        let bytes: [UInt8]
        let envelope: Envelope
        let path: String
    }

    /// Starts the sink with `arguments` (`--auth u:p`, `--tls-cert …`) and waits for its port.
    init(_ arguments: [String] = []) async throws {
        directory = TemporaryDirectory()
        messages = directory.file("messages")
        try FileManager.default.createDirectory(atPath: messages, withIntermediateDirectories: true)
        process = try ChildProcess(Scripts.python, [Scripts.sink, "--dir", messages] + arguments,
                                   directory: directory.path, name: "sink")
        var found: Int?
        let process = self.process
        try await eventually(timeout: .seconds(20), "the SMTP sink to print its port") {
            guard process.isRunning else { throw SinkFailed(stderr: process.stderr) }
            found = process.stdout.split(separator: "\n").first { $0.hasPrefix("PORT ") }.flatMap { Int($0.dropFirst(5)) }
            return found != nil
        }
        port = found!
    }

    struct SinkFailed: Error, CustomStringConvertible {
        let stderr: String
        var description: String { "the SMTP sink exited: \(stderr)" }
    }

    /// `smtp://127.0.0.1:<port>`.
    var url: String { "smtp://127.0.0.1:\(port)" }

    /// A configuration for this sink: no STARTTLS, short timeouts.
    func configuration(_ change: (inout MailConfiguration) -> Void = { _ in }) -> MailConfiguration {
        var configuration = MailConfiguration(transport: .smtp, url: url, startTLS: .off, connectTimeout: .seconds(5),
                                              timeout: .seconds(10))
        change(&configuration)
        return configuration
    }

    /// Connections accepted so far.
    var sessions: Int { process.stdout.split(separator: "\n").filter { $0.hasPrefix("SESSION ") }.count }

    /// Connections closed so far (by either side).
    var closedSessions: Int { process.stdout.split(separator: "\n").filter { $0.hasPrefix("CLOSED ") }.count }

    /// Every stored message, in the order received.
    func received() throws -> [Received] {
        let names = try FileManager.default.contentsOfDirectory(atPath: messages).filter { $0.hasSuffix(".eml") }.sorted()
        return try names.map { name in
            let path = messages + "/" + name
            let json = messages + "/" + name.replacingOccurrences(of: ".eml", with: ".json")
            return Received(bytes: [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))),
                            envelope: try JSONDecoder().decode(Received.Envelope.self, from: Data(contentsOf: URL(fileURLWithPath: json))),
                            path: path)
        }
    }

    /// Waits until at least `count` messages are stored and returns them.
    func waitForMessages(_ count: Int) async throws -> [Received] {
        try await eventually("\(count) message(s) at the sink") { try self.received().count >= count }
        return try received()
    }
}
