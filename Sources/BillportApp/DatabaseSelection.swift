import Foundation

/// Which database Billport runs on and how to reach it, decided once from the configuration:
/// a `postgres://` URL in `database.url` (or `BILLPORT_DATABASE_URL`); else, when neither
/// `database.url` nor `database.path` is set, libpq's own `PGHOST`, `PGDATABASE` or `PGSERVICE`;
/// else the SQLite file at `database.path`.
public enum DatabaseSelection: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(PostgresTarget)

    /// What a log line or `billport migrate` may show: never a user name or password.
    public var description: String {
        switch self {
        case .sqlite(let path): "SQLite \(path)"
        case .postgres(let target): "PostgreSQL \(target)"
        }
    }

    /// The PostgreSQL target, nil on SQLite.
    public var postgres: PostgresTarget? {
        if case .postgres(let target) = self { return target }
        return nil
    }

    /// libpq variables that move Billport to PostgreSQL when nothing else names a database.
    static let libpqSelectors = ["PGHOST", "PGDATABASE", "PGSERVICE"]

    /// The selection for `url` (`database.url`, empty when unset), `path` (`database.path` as
    /// configured, empty when unset) and the process environment.
    static func resolve(url: String, path: String, defaultPath: String, maximumConnections: Int,
                        environment: [String: String]) throws(PostgresURLError) -> DatabaseSelection {
        if !url.isEmpty {
            return .postgres(try PostgresTarget(url: url, maximumConnections: maximumConnections))
        }
        if path.isEmpty, let selector = libpqSelectors.first(where: { !(environment[$0] ?? "").isEmpty }) {
            return .postgres(PostgresTarget(environment: environment, selectedBy: selector, maximumConnections: maximumConnections))
        }
        return .sqlite(path: path.isEmpty ? defaultPath : path)
    }
}

/// A PostgreSQL database as configured: the connection string handed to libpq (a secret: it may
/// hold the password) and what may be shown of it.
public struct PostgresTarget: Sendable, Equatable, CustomStringConvertible {
    /// The URL as configured, or "" when libpq's `PG*` variables say it all. Never log it.
    public let connectionString: String
    /// For display: host (or Unix socket directory), port and database name.
    public let host: String
    public let port: Int?
    public let databaseName: String
    /// Whether the URL itself carries a password (then the file holding it must be private).
    public let hasPassword: Bool
    /// Connections each process keeps at most (`database.maxConnections`).
    public let maximumConnections: Int

    /// `postgres://host:port/db`, without user or password.
    public var description: String {
        let shownHost = host.contains(":") && !host.hasPrefix("/") ? "[\(host)]" : host
        return "postgres://\(shownHost)\(port.map { ":\($0)" } ?? "")/\(databaseName)"
    }

    /// URL query parameters Billport passes to libpq; others are refused (`options` too: it
    /// could change session settings the stores rely on, set them per role on the server).
    static let allowedParameters: Set<String> = ["sslmode", "sslrootcert", "sslcert", "sslkey", "connect_timeout", "application_name", "host"]
    static let sslModes: Set<String> = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"]
    static let maximumURLBytes = 2048

    /// Parses and checks `url` (`postgres://[user[:password]@][host][:port][/dbname][?param=value&…]`).
    init(url: String, maximumConnections: Int) throws(PostgresURLError) {
        guard url.utf8.count <= Self.maximumURLBytes else { throw .init("is longer than \(Self.maximumURLBytes) bytes") }
        guard url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") else {
            throw .init("must be a postgres:// or postgresql:// URL like postgres://billport@db.internal:5432/billport")
        }
        guard !url.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7F }),
              let components = URLComponents(string: url) else {
            throw .init("is not a valid URL (percent-encode special characters in the user name and password)")
        }
        guard components.fragment == nil else { throw .init("must not have a #fragment") }
        var parameters: [String: String] = [:]
        for item in components.queryItems ?? [] {
            guard Self.allowedParameters.contains(item.name) else {
                throw .init("has the parameter \"\(item.name)\"; allowed: \(Self.allowedParameters.sorted().joined(separator: ", "))")
            }
            guard parameters[item.name] == nil else { throw .init("repeats the parameter \"\(item.name)\"") }
            let value = item.value ?? ""
            try Self.check(parameter: item.name, value: value)
            parameters[item.name] = value
        }
        let path = components.percentEncodedPath
        let name = String(path.drop(while: { $0 == "/" }))
        guard path.isEmpty || path.hasPrefix("/"), !name.contains("/") else { throw .init("must name at most one database after the host") }
        if let port = components.port {
            guard (1...65_535).contains(port) else { throw .init("has port \(port); must be from 1 to 65535") }
        }
        let urlHost = components.host ?? ""
        guard urlHost.isEmpty || parameters["host"] == nil else { throw .init("names the host twice (in the URL and in ?host=)") }
        connectionString = url
        host = urlHost.isEmpty ? (parameters["host"] ?? "(libpq default)") : urlHost
        port = components.port
        databaseName = name.removingPercentEncoding ?? name
        hasPassword = !(components.password ?? "").isEmpty
        self.maximumConnections = maximumConnections
    }

    /// The target libpq builds from `PGHOST`, `PGPORT`, `PGDATABASE`, `PGSERVICE` alone.
    init(environment: [String: String], selectedBy selector: String, maximumConnections: Int) {
        connectionString = ""
        host = environment["PGHOST"].flatMap { $0.isEmpty ? nil : $0 } ?? (selector == "PGSERVICE" ? "(service \(environment["PGSERVICE"] ?? ""))" : "(libpq default)")
        port = environment["PGPORT"].flatMap(Int.init)
        databaseName = environment["PGDATABASE"] ?? ""
        hasPassword = false
        self.maximumConnections = maximumConnections
    }

    private static func check(parameter name: String, value: String) throws(PostgresURLError) {
        switch name {
        case "sslmode":
            guard sslModes.contains(value) else { throw .init("has sslmode=\(value); must be one of \(sslModes.sorted().joined(separator: ", "))") }
        case "connect_timeout":
            guard let seconds = Int(value), (1...3600).contains(seconds) else { throw .init("has connect_timeout=\(value); must be whole seconds from 1 to 3600") }
        case "application_name":
            guard value.utf8.count <= 63, value.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F }) else {
                throw .init("has an application_name longer than 63 characters or not printable ASCII")
            }
        case "sslrootcert" where value == "system":
            return
        default:
            guard value.hasPrefix("/"), value.utf8.count <= 1024 else { throw .init("has \(name)=…; must be an absolute path") }
        }
    }
}

/// Why a `database.url` cannot be used; never quotes the URL (it may hold the password).
struct PostgresURLError: Error, Sendable, Equatable {
    let message: String
    init(_ message: String) { self.message = message }
}
