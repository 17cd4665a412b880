import BillportCore
import Foundation

extension BillportConfiguration {
    /// `database.url` and `database.maxConnections`, with `database.path` as configured (empty
    /// when unset) and the environment (`PGHOST`, `PGDATABASE`, `PGSERVICE`): which backend.
    static func databaseSelection(_ reader: inout ConfigReader, path: String, defaultPath: String, environment: [String: String],
                                  fileName: String) throws(ConfigError) -> DatabaseSelection {
        let url = try reader.string("database.url", default: "")
        let maximumConnections = try reader.int("database.maxConnections", default: 10, range: 1...200)
        let source = reader.environmentText("database.url") != nil ? "from \(ConfigReader.environmentName(for: "database.url"))" : "in \(fileName)"
        do {
            return try DatabaseSelection.resolve(url: url, path: path, defaultPath: defaultPath, maximumConnections: maximumConnections,
                                                 environment: environment)
        } catch {
            throw ConfigError(key: "database.url", message: error.message, source: source)
        }
    }

    /// Refuses a config file whose `database.url` holds a password while the file is readable by
    /// group or others: the password would be readable by every local user who can read it.
    static func checkPasswordPrivacy(_ configuration: BillportConfiguration, file: String, environment: [String: String]) throws(ConfigError) {
        guard configuration.databaseSelection.postgres?.hasPassword == true,
              environment[ConfigReader.environmentName(for: "database.url")] == nil,
              let attributes = try? FileManager.default.attributesOfItem(atPath: file),
              let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue, mode & 0o077 != 0 else { return }
        throw ConfigError(key: "database.url", message: """
            holds a password but the file is readable by group or others (mode \(String(mode & 0o777, radix: 8))): \
            chmod 600 it, or move the URL to BILLPORT_DATABASE_URL, or keep the password in ~/.pgpass (PGPASSFILE)
            """, source: "in \(file)")
    }
}
