/// Every way a request can be refused while framing it; each maps to one status code and
/// the connection is always closed afterwards, because the framing can no longer be trusted.
///
/// Only one case maps to 411: a request without `Content-Length` or `Transfer-Encoding`
/// normally has a zero-length body (RFC 9112 §6.3 rule 6), and chunked bodies are supported,
/// so the one body of unknown length is the one announced by `Expect: 100-continue`.
public enum HTTPParserError: Error, Sendable, Equatable, CaseIterable {
    /// The request-line is not `method SP target SP version` (400).
    case malformedRequestLine
    /// The request-target is not origin-, absolute- or (for OPTIONS) asterisk-form (400).
    case invalidRequestTarget
    /// The version is not `HTTP/d.d` (400).
    case malformedVersion
    /// A well-formed version other than 1.x (505).
    case unsupportedVersion
    /// A well-formed method this server does not implement, e.g. TRACE or CONNECT (501).
    case unsupportedMethod
    /// The request-line exceeds `maxRequestLineBytes` (414).
    case requestLineTooLong
    /// A field line without a colon, with a bad name, or with control bytes in its value (400).
    case malformedHeader
    /// Whitespace between a field name and its colon (400, RFC 9112 §5.1).
    case whitespaceBeforeColon
    /// A field line starting with whitespace: obs-fold or whitespace after the request-line
    /// (400, RFC 9112 §5.2 and §2.2).
    case obsoleteLineFolding
    /// A CR not followed by LF (400, RFC 9112 §2.2).
    case bareCarriageReturn
    /// A line ended by LF alone; only CRLF is accepted, so that this server never frames a
    /// message differently from a proxy in front of it (400).
    case bareLineFeed
    /// The header section exceeds `maxHeaderBytes` (431).
    case headersTooLarge
    /// More than `maxHeaderCount` field lines (431).
    case tooManyHeaders
    /// An HTTP/1.1 request without a Host field (400, RFC 9112 §3.2).
    case missingHost
    /// More than one Host field, or a value that is not a valid authority (400, RFC 9112 §3.2).
    case invalidHost
    /// A `Content-Length` that is not a plain run of digits (400, RFC 9112 §6.3).
    case invalidContentLength
    /// More than one `Content-Length` field, equal or not (400).
    case duplicateContentLength
    /// Both `Content-Length` and `Transfer-Encoding`: a request smuggling shape (400).
    case contentLengthWithTransferEncoding
    /// `Transfer-Encoding` where chunked is not applied exactly once and last, or on an
    /// HTTP/1.0 request (400, RFC 9112 §6.1 and §6.3).
    case invalidTransferEncoding
    /// A transfer coding other than chunked, e.g. gzip (501, RFC 9112 §6.1).
    case unsupportedTransferCoding
    /// A chunk-size line or chunk terminator that does not follow RFC 9112 §7.1 (400).
    case invalidChunk
    /// The body exceeds `maxBodyBytes` (413).
    case bodyTooLarge
    /// An `Expect` value other than `100-continue` (417, RFC 9110 §10.1.1).
    case expectationFailed
    /// `Expect: 100-continue` without `Content-Length` or `Transfer-Encoding: chunked`: the
    /// client announces content (RFC 9110 §10.1.1) that it gives no way to frame, so it is
    /// refused rather than read as an empty body whose content would then arrive as the next
    /// request (411, RFC 9110 §15.5.12; RFC 9112 §6.3 lets a server refuse a body without a
    /// declared length).
    case lengthRequired

    /// The status code to answer with.
    public var status: Int {
        switch self {
        case .malformedRequestLine, .invalidRequestTarget, .malformedVersion, .malformedHeader,
             .whitespaceBeforeColon, .obsoleteLineFolding, .bareCarriageReturn, .bareLineFeed,
             .missingHost, .invalidHost, .invalidContentLength, .duplicateContentLength,
             .contentLengthWithTransferEncoding, .invalidTransferEncoding, .invalidChunk:
            400
        case .unsupportedVersion: 505
        case .unsupportedMethod, .unsupportedTransferCoding: 501
        case .requestLineTooLong: 414
        case .headersTooLarge, .tooManyHeaders: 431
        case .bodyTooLarge: 413
        case .expectationFailed: 417
        case .lengthRequired: 411
        }
    }
}
