import Foundation
import Tokens

/// The server's secrets: from configuration when set, else generated once on first start and
/// kept in `<dataDirectory>/secrets/` with mode 0600. Never a built-in default, never logged.
enum Secrets {
    /// The JWT signing key: `auth.jwtSecret` (at least 32 characters), else `secrets/jwt.key`.
    static func jwtKey(configured: String?, dataDirectory: String) throws -> [UInt8] {
        if let configured {
            return Array(configured.utf8)
        }
        return try persistent(name: "jwt.key", in: dataDirectory)
    }

    /// 32 random bytes kept in a file of their own; created atomically so two processes starting
    /// at once agree on one key.
    static func persistent(name: String, in dataDirectory: String) throws -> [UInt8] {
        let directory = dataDirectory + "/secrets"
        let path = directory + "/" + name
        if let existing = try read(path) { return existing }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let fresh = SecureRandom.base64URL(byteCount: 32)
        let temporary = path + ".\(ProcessInfo.processInfo.processIdentifier).tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(fresh.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw StartupError("cannot write the secret \(path)")
        }
        // link(2) fails if another process got there first: then its key wins.
        if link(temporary, path) != 0, errno != EEXIST {
            unlink(temporary)
            throw StartupError("cannot store the secret \(path): \(String(cString: strerror(errno)))")
        }
        unlink(temporary)
        guard let stored = try read(path) else { throw StartupError("cannot read the secret \(path)") }
        return stored
    }

    private static func read(_ path: String) throws -> [UInt8]? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else { throw StartupError("cannot read the secret \(path)") }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.utf8.count >= 32 else { throw StartupError("the secret \(path) is shorter than 32 characters") }
        return Array(text.utf8)
    }
}
