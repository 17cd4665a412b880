import Foundation
import Relational
import Tokens

/// The server's secrets: from configuration when set, else generated once and kept: on SQLite in
/// `<dataDirectory>/secrets/` with mode 0600, on PostgreSQL in the `secrets` table, so that every
/// host of one installation signs and checks with the same keys. Never a built-in default,
/// never logged.
enum Secrets {
    /// Every key generated on first use. `copy-database` carries them to PostgreSQL.
    static let generatedNames = ["jwt.key", "unsubscribe.key"]

    /// Where generated keys are kept.
    enum Store: Sendable {
        case directory(String)
        case database(any SQLDatabase)
    }

    /// The JWT signing key: `auth.jwtSecret` (at least 32 characters), else `jwt.key`.
    static func jwtKey(configured: String?, store: Store) throws -> [UInt8] {
        if let configured {
            return Array(configured.utf8)
        }
        return try generated(name: "jwt.key", in: store)
    }

    /// The JWT signing key kept in a data directory (SQLite installations).
    static func jwtKey(configured: String?, dataDirectory: String) throws -> [UInt8] {
        try jwtKey(configured: configured, store: .directory(dataDirectory))
    }

    /// The key `name`, generated on first use.
    static func generated(name: String, in store: Store) throws -> [UInt8] {
        switch store {
        case .directory(let directory): try persistent(name: name, in: directory)
        case .database(let database): try stored(name: name, in: database)
        }
    }

    /// 32 random bytes kept in a row of `secrets`: inserted unless present, then read in the same
    /// transaction, so two hosts starting at once agree on the first one committed.
    static func stored(name: String, in database: any SQLDatabase, now: Date = Date()) throws -> [UInt8] {
        let value = try database.writeBlocking { db -> String? in
            try db.execute("INSERT INTO secrets (name, value, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING",
                           name, SecureRandom.base64URL(byteCount: 32), now)
            return try db.queryOne("SELECT value FROM secrets WHERE name = ?", name) { $0.string(0) }
        }
        guard let value, value.utf8.count >= 32 else { throw StartupError("the secret \(name) in the database is missing or shorter than 32 characters") }
        return Array(value.utf8)
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

    /// The key `name` kept in `dataDirectory`, nil when none was generated there.
    static func existing(name: String, in dataDirectory: String) throws -> [UInt8]? {
        try read(dataDirectory + "/secrets/" + name)
    }

    private static func read(_ path: String) throws -> [UInt8]? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else { throw StartupError("cannot read the secret \(path)") }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.utf8.count >= 32 else { throw StartupError("the secret \(path) is shorter than 32 characters") }
        return Array(text.utf8)
    }
}
