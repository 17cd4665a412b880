import Dispatch
import Foundation
import Mail
import Testing

/// The Python scripts beside these tests, and an interpreter that has aiosmtpd.
public enum Scripts {
    public static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("MailTests/Support").path
    public static let sink = directory + "/smtp-sink.py"
    public static let parser = directory + "/parse-eml.py"

    /// Debian's python3 (where python3-aiosmtpd is installed) before any other on PATH.
    public static let python: String = {
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") { return "/usr/bin/python3" }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/python3" }.first { FileManager.default.isExecutableFile(atPath: $0) }
            ?? "python3"
    }()
}

/// Runs blocking work (a transport's send, a child process) on a dispatch thread, so that it
/// never holds one of Swift's cooperative threads.
public func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Result { try body() }) }
    }
}

/// What Python's `email` package makes of a message (see Support/parse-eml.py).
public struct ParsedMail: Decodable {
    public struct Address: Decodable, Equatable {
        public let name: String
        public let address: String

        public init(name: String, address: String) {
            self.name = name
            self.address = address
        }
    }
    public struct Part: Decodable {
        public let content_type: String
        public let charset: String?
        public let encoding: String?
        public let filename: String?
        public let disposition: String?
        public let name: String?
        public let text: String?
        public let sha256: String?
        public let size: Int?
    }
    public let headers: [[String]]
    public let addresses: [String: [Address]]
    public let structure: String
    public let parts: [Part]
    public let defects: [String]

    /// The first decoded value of header `name`.
    public func header(_ name: String) -> String? {
        headers.first { $0[0].lowercased() == name.lowercased() }?[1]
    }

    /// Parses `bytes` with Python.
    public static func parse(_ bytes: [UInt8]) async throws -> ParsedMail {
        let directory = TemporaryDirectory()
        defer { withExtendedLifetime(directory) {} }
        let file = directory.file("message.eml")
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        return try await parse(file: file)
    }

    /// Parses the file at `path` with Python.
    public static func parse(file path: String) async throws -> ParsedMail {
        let output = try await offPool { () throws -> Data in
            let output = try Spawn.run(Scripts.python, [Scripts.parser, path])
            guard output.status == 0 else { throw ParseFailure(status: output.status) }
            return output.stdout
        }
        return try JSONDecoder().decode(ParsedMail.self, from: output)
    }

    struct ParseFailure: Error { let status: Int32 }
}

/// A real SMTP server (Support/smtp-sink.py on aiosmtpd) on an ephemeral loopback port,
/// storing what it receives in a temporary directory; killed when released.
public final class SMTPSink: Sendable {
    /// Holds the stored messages and the process's output; removed with the sink.
    public let directory: TemporaryDirectory
    /// Where messages land.
    public let messages: String
    public let process: ChildProcess
    /// The port it listens on (127.0.0.1).
    public let port: Int

    /// One accepted message: the bytes as received and the envelope.
    public struct Received {
        public struct Envelope: Decodable {
            public let mail_from: String
            public let rcpt_tos: [String]
            public let session: Int
            public let login: String?
            public let helo: String?
            public let tls: Bool
        }
        public let bytes: [UInt8]
        public let envelope: Envelope
        public let path: String
    }

    /// Starts the sink with `arguments` (`--auth u:p`, `--tls-cert …`) and waits for its port.
    public init(_ arguments: [String] = []) async throws {
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
    public var url: String { "smtp://127.0.0.1:\(port)" }

    /// A configuration for this sink: no STARTTLS, short timeouts.
    public func configuration(_ change: (inout MailConfiguration) -> Void = { _ in }) -> MailConfiguration {
        var configuration = MailConfiguration(transport: .smtp, url: url, startTLS: .off, connectTimeout: .seconds(5),
                                              timeout: .seconds(10))
        change(&configuration)
        return configuration
    }

    /// Connections accepted so far.
    public var sessions: Int { process.stdout.split(separator: "\n").filter { $0.hasPrefix("SESSION ") }.count }

    /// Connections closed so far (by either side).
    public var closedSessions: Int { process.stdout.split(separator: "\n").filter { $0.hasPrefix("CLOSED ") }.count }

    /// Every stored message, in the order received.
    public func received() throws -> [Received] {
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
    public func waitForMessages(_ count: Int) async throws -> [Received] {
        try await eventually("\(count) message(s) at the sink") { try self.received().count >= count }
        return try received()
    }
}
