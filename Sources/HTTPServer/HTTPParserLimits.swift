/// Size limits the parser enforces before buffering more, so no client can make the server
/// hold unbounded memory (compare NIO's `NIOHTTPDecoderLimitConfiguration`).
public struct HTTPParserLimits: Sendable, Equatable {
    /// Longest request-line, CRLF excluded; longer is answered 414.
    public var maxRequestLineBytes: Int
    /// Largest header section (every field line with its CRLF); larger is answered 431.
    /// Chunked trailers count against the same budget.
    public var maxHeaderBytes: Int
    /// Most header field lines (trailers included); more is answered 431.
    public var maxHeaderCount: Int
    /// Largest decoded body; larger is answered 413, before reading it when the length is
    /// declared up front.
    public var maxBodyBytes: Int
    /// Longest chunk-size line including extensions; longer is answered 400.
    public var maxChunkLineBytes: Int

    /// Makes limits; the defaults suit an API behind a reverse proxy.
    public init(
        maxRequestLineBytes: Int = 8 * 1024,
        maxHeaderBytes: Int = 32 * 1024,
        maxHeaderCount: Int = 100,
        maxBodyBytes: Int = 1024 * 1024,
        maxChunkLineBytes: Int = 4 * 1024
    ) {
        self.maxRequestLineBytes = maxRequestLineBytes
        self.maxHeaderBytes = maxHeaderBytes
        self.maxHeaderCount = maxHeaderCount
        self.maxBodyBytes = maxBodyBytes
        self.maxChunkLineBytes = maxChunkLineBytes
    }

    /// A description of the first impossible value, or nil when the limits are usable.
    var problem: String? {
        if maxRequestLineBytes < 16 { return "maxRequestLineBytes must be at least 16" }
        if maxHeaderBytes < 0 { return "maxHeaderBytes must not be negative" }
        if maxHeaderCount < 0 { return "maxHeaderCount must not be negative" }
        if maxBodyBytes < 0 { return "maxBodyBytes must not be negative" }
        if maxChunkLineBytes < 1 { return "maxChunkLineBytes must be at least 1" }
        return nil
    }
}
