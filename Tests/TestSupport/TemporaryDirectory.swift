import Foundation
import Relational
import SQLite

/// A fresh directory under the system temp folder, removed when the value is released.
public final class TemporaryDirectory: Sendable {
    /// The directory's path.
    public let path: String

    /// Creates a new, empty directory.
    public init() {
        path = NSTemporaryDirectory() + "billport-test-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// The path of `name` inside the directory.
    public func file(_ name: String) -> String { path + "/" + name }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// A real SQLite file in a temporary directory, migrated with the given migrations.
public struct TemporaryDatabase: Sendable {
    /// Keeps the directory alive as long as the database.
    public let directory: TemporaryDirectory
    /// The open database.
    public let database: Database

    /// Opens a new database file and applies `migrations`.
    public init(migrations: [Migration] = [], configuration: DatabaseConfiguration = .init()) throws {
        directory = TemporaryDirectory()
        database = try Database(path: directory.file("billport.sqlite"), configuration: configuration)
        try Migrator.migrate(database, migrations: migrations)
    }

    /// The database file's path, for a second connection or another process.
    public var path: String { database.path }
}
