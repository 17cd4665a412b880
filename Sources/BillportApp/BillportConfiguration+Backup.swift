import BillportCore

/// Where scheduled backups go and how many are kept (`backup.directory`, `backup.keep`).
public struct BackupSettings: Sendable, Equatable {
    public var directory: String
    public var keep: Int

    public init(directory: String, keep: Int = 7) {
        self.directory = directory
        self.keep = keep
    }
}

extension BillportConfiguration {
    /// `backup.directory` (default `<dataDirectory>/backups`) and `backup.keep` (7): what the
    /// `backup.snapshot` job writes and keeps. The schedule itself is off until one is added.
    static func backup(_ reader: inout ConfigReader, dataDirectory: String) throws(ConfigError) -> BackupSettings {
        BackupSettings(directory: try reader.string("backup.directory", default: dataDirectory + "/backups"),
                       keep: try reader.int("backup.keep", default: 7, range: 1...1_000))
    }
}
