import BillportCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes each message as an `.eml` file into a folder, for machines without an SMTP relay
/// (development, demos, or a separate process that forwards the folder).
///
/// Files are named `<UTC timestamp>-<sanitized message id>.eml`, so they sort by the time
/// they were written. Each is written to a hidden temporary file, flushed to disk, then
/// renamed into place: a reader of the folder never sees half a message. Blocking (fsync).
/// The envelope is not recorded: the file holds exactly what a relay would have received.
public struct OutboxTransport: MailTransport {
    /// The folder; created (mode 0700) on first use.
    public let directory: String
    private let clock: any WallClock

    /// An outbox writing into `directory`, timestamps from `clock`.
    public init(directory: String, clock: any WallClock = SystemClock()) {
        self.directory = directory
        self.clock = clock
    }

    /// Writes the message; the receipt's `path` is the final file.
    public func send(_ message: RenderedMail, envelope: MailEnvelope) throws(MailError) -> MailReceipt {
        try envelope.validate()
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw .outbox(path: directory, reason: "cannot create the folder: \(error.localizedDescription)")
        }
        let name = Self.fileName(messageID: message.messageID, at: clock.now())
        let path = directory + "/" + name
        let temporary = directory + "/.\(name).\(RandomToken.make(length: 8)).part"
        try Self.writeDurably(message.bytes, to: temporary)
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw .outbox(path: path, reason: reason)
        }
        return MailReceipt(messageID: message.messageID, reply: nil, path: path)
    }

    /// `20261101T103000.123Z-abc123_example.com.eml`: only `[A-Za-z0-9._@-]` of the id is kept.
    static func fileName(messageID: String, at date: Date) -> String {
        let stamp = ISO8601.format(date, fractional: true).filter { $0 != "-" && $0 != ":" }
        let id = String(messageID.trimmingCharacters(in: CharacterSet(charactersIn: "<>")).unicodeScalars.map { scalar in
            CharacterSet.alphanumerics.contains(scalar) && scalar.isASCII || "._@-".unicodeScalars.contains(scalar)
                ? Character(scalar) : "_"
        }.prefix(120))
        return "\(stamp)-\(id).eml"
    }

    /// Creates `path` (mode 0600: messages hold personal data), writes `bytes` and fsyncs.
    private static func writeDurably(_ bytes: [UInt8], to path: String) throws(MailError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .outbox(path: path, reason: String(cString: strerror(errno))) }
        var written = 0
        let failure: String? = bytes.withUnsafeBytes { buffer in
            while written < buffer.count {
                let result = write(descriptor, buffer.baseAddress! + written, buffer.count - written)
                if result < 0 {
                    if errno == EINTR { continue }
                    return String(cString: strerror(errno))
                }
                written += result
            }
            return fsync(descriptor) == 0 ? nil : String(cString: strerror(errno))
        }
        close(descriptor)
        if let failure {
            unlink(path)
            throw .outbox(path: path, reason: failure)
        }
    }
}
