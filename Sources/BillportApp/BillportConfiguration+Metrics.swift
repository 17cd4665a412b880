import BillportCore

/// Where `/metrics` listens (`metrics.host`, `metrics.port`, `metrics.allowPublic`).
public struct MetricsSettings: Sendable, Equatable {
    public var host = "127.0.0.1"
    /// 0: no metrics listener.
    public var port = 0
    public var allowPublic = false

    public init() {}

    public var enabled: Bool { port != 0 }

    /// A loopback literal or `localhost`: reachable from this machine only.
    static func isLoopback(_ host: String) -> Bool {
        if host == "localhost" { return true }
        guard let address = IPAddress(host) else { return false }
        let ipv4 = address.isIPv4 ? address : address.embeddedIPv4
        if let ipv4 { return ipv4.bytes[0] == 127 }
        return address.bytes == [UInt8](repeating: 0, count: 15) + [1]
    }
}

extension BillportConfiguration {
    /// Off unless `metrics.port` is set; a host other than loopback is refused unless
    /// `metrics.allowPublic` is true, since the counters tell anyone who can read them how the
    /// business runs.
    static func metrics(_ reader: inout ConfigReader, fileName: String) throws(ConfigError) -> MetricsSettings {
        var settings = MetricsSettings()
        settings.host = try reader.string("metrics.host", default: settings.host)
        settings.port = try reader.int("metrics.port", default: settings.port, range: 0...65_535)
        settings.allowPublic = try reader.bool("metrics.allowPublic", default: settings.allowPublic)
        if !settings.allowPublic, !MetricsSettings.isLoopback(settings.host) {
            throw ConfigError(key: "metrics.host", message: "must be a loopback address like 127.0.0.1 (got \"\(settings.host)\"); "
                                + "set metrics.allowPublic to true to expose metrics beyond this machine", source: "in \(fileName)")
        }
        return settings
    }
}
