/// Figures about what the server has held, for tests and monitoring.
public struct HTTPServerStatistics: Sendable, Equatable {
    /// The most bytes one connection has held at once since start: unsent output, unparsed
    /// input, a body being received and parsed requests not yet dispatched.
    public var peakBytesHeldByOneConnection = 0

    /// No figures yet.
    public init() {}
}
