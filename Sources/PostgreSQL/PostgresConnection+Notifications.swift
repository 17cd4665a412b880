internal import CLibPQ
import Foundation

/// A NOTIFY received on a channel this connection listens on.
public struct PostgresNotification: Sendable, Equatable {
    public let channel: String
    public let payload: String
    /// The server process that sent it (its own when a connection notifies itself).
    public let senderPID: Int32
}

extension PostgresConnection {
    /// PostgreSQL truncates identifiers past 63 bytes; a longer channel is refused instead.
    public static let maximumChannelBytes = 63
    /// PostgreSQL refuses payloads of 8000 bytes or more.
    public static let maximumPayloadBytes = 7999

    /// Listens on `channel` (kept across reconnects).
    public func listen(_ channel: String) throws(PostgresError) {
        try Self.validate(channel: channel)
        try locked { () throws(PostgresError) in
            try simple("LISTEN \(try quotedIdentifier(channel))")
            channels.insert(channel)
        }
    }

    /// Stops listening on `channel`.
    public func unlisten(_ channel: String) throws(PostgresError) {
        try Self.validate(channel: channel)
        try locked { () throws(PostgresError) in
            try simple("UNLISTEN \(try quotedIdentifier(channel))")
            channels.remove(channel)
        }
    }

    /// Sends `payload` to every connection listening on `channel` (at commit, inside a transaction).
    public func notify(_ channel: String, payload: String = "") throws(PostgresError) {
        try Self.validate(channel: channel)
        guard payload.utf8.count <= Self.maximumPayloadBytes else {
            throw PostgresError(kind: .invalidInput, message: "a notification payload holds at most \(Self.maximumPayloadBytes) bytes")
        }
        try execute("SELECT pg_notify($1, $2)", [.text(channel), .text(payload)])
    }

    /// The notifications received so far, or, when there are none, those that arrive within
    /// `timeout` (an empty array when none does). Sleeps on the socket (`poll`), never spins; holds
    /// the connection meanwhile, so a listening connection is best kept for listening.
    public func notifications(timeout: Duration) throws(PostgresError) -> [PostgresNotification] {
        let deadline = ContinuousClock.now + timeout
        return try locked { () throws(PostgresError) -> [PostgresNotification] in
            if PQstatus(handle) != CONNECTION_OK { try simple("SELECT 1") }
            while true {
                guard PQconsumeInput(handle) == 1 else { throw lost() }
                let received = drain()
                if !received.isEmpty { return received }
                let remaining = ContinuousClock.now.duration(to: deadline)
                guard remaining > .zero else { return [] }
                let socket = PQsocket(handle)
                guard socket >= 0 else { throw lost() }
                var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
                let milliseconds = Int32(clamping: remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000 + 1)
                if poll(&descriptor, 1, milliseconds) < 0, errno != EINTR { throw lost() }
            }
        }
    }

    private func drain() -> [PostgresNotification] {
        var received: [PostgresNotification] = []
        while let notice = PQnotifies(handle) {
            received.append(PostgresNotification(channel: String(cString: notice.pointee.relname),
                                                 payload: String(cString: notice.pointee.extra),
                                                 senderPID: notice.pointee.be_pid))
            PQfreemem(notice)
        }
        return received
    }

    private func lost() -> PostgresError {
        PostgresError(kind: .connectionLost, message: "the connection dropped while waiting for notifications: " + Self.lastMessage(handle))
    }

    private static func validate(channel: String) throws(PostgresError) {
        let bytes = channel.utf8
        guard !bytes.isEmpty, bytes.count <= maximumChannelBytes, !bytes.contains(0) else {
            throw PostgresError(kind: .invalidInput, message: "a channel name is 1 to \(maximumChannelBytes) bytes without NUL")
        }
    }
}
