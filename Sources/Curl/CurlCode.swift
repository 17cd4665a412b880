internal import CCurl

/// A libcurl result code (`CURLcode`) as a Swift value: `.ok`, or why a transfer or an option
/// failed. An open set, so a struct over the number; the codes callers classify are named.
public struct CurlCode: Error, Sendable, Hashable, CustomStringConvertible {
    /// The number libcurl documents (`CURLE_…`).
    public let rawValue: Int

    /// Wraps a code number.
    public init(rawValue: Int) { self.rawValue = rawValue }

    init(_ code: CURLcode) { rawValue = Int(code.rawValue) }

    /// Whether this is `CURLE_OK`.
    public var isOK: Bool { self == .ok }

    /// libcurl's one-line text for the code (`curl_easy_strerror`).
    public var summary: String {
        String(cString: curl_easy_strerror(CURLcode(rawValue: UInt32(truncatingIfNeeded: rawValue))))
    }

    /// `summary`, for interpolation.
    public var description: String { summary }

    // The codes callers classify, each the `CURLE_…` constant of the same name.
    public static let ok = CurlCode(CURLE_OK)
    public static let outOfMemory = CurlCode(CURLE_OUT_OF_MEMORY)
    public static let unsupportedProtocol = CurlCode(CURLE_UNSUPPORTED_PROTOCOL)
    public static let urlMalformat = CurlCode(CURLE_URL_MALFORMAT)
    public static let notBuiltIn = CurlCode(CURLE_NOT_BUILT_IN)
    public static let couldNotResolveProxy = CurlCode(CURLE_COULDNT_RESOLVE_PROXY)
    public static let couldNotResolveHost = CurlCode(CURLE_COULDNT_RESOLVE_HOST)
    public static let couldNotConnect = CurlCode(CURLE_COULDNT_CONNECT)
    public static let http2 = CurlCode(CURLE_HTTP2)
    public static let partialFile = CurlCode(CURLE_PARTIAL_FILE)
    public static let writeError = CurlCode(CURLE_WRITE_ERROR)
    public static let operationTimedOut = CurlCode(CURLE_OPERATION_TIMEDOUT)
    public static let sslConnectError = CurlCode(CURLE_SSL_CONNECT_ERROR)
    public static let gotNothing = CurlCode(CURLE_GOT_NOTHING)
    public static let sslEngineNotFound = CurlCode(CURLE_SSL_ENGINE_NOTFOUND)
    public static let sslEngineSetFailed = CurlCode(CURLE_SSL_ENGINE_SETFAILED)
    public static let sendError = CurlCode(CURLE_SEND_ERROR)
    public static let receiveError = CurlCode(CURLE_RECV_ERROR)
    public static let sslCertProblem = CurlCode(CURLE_SSL_CERTPROBLEM)
    public static let sslCipher = CurlCode(CURLE_SSL_CIPHER)
    public static let peerFailedVerification = CurlCode(CURLE_PEER_FAILED_VERIFICATION)
    public static let fileSizeExceeded = CurlCode(CURLE_FILESIZE_EXCEEDED)
    public static let useSSLFailed = CurlCode(CURLE_USE_SSL_FAILED)
    public static let sslEngineInitFailed = CurlCode(CURLE_SSL_ENGINE_INITFAILED)
    public static let loginDenied = CurlCode(CURLE_LOGIN_DENIED)
    public static let sslCACertBadFile = CurlCode(CURLE_SSL_CACERT_BADFILE)
    public static let sslShutdownFailed = CurlCode(CURLE_SSL_SHUTDOWN_FAILED)
    public static let sslCRLBadFile = CurlCode(CURLE_SSL_CRL_BADFILE)
    public static let sslIssuerError = CurlCode(CURLE_SSL_ISSUER_ERROR)
    public static let sslPinnedPublicKeyNotMatch = CurlCode(CURLE_SSL_PINNEDPUBKEYNOTMATCH)
    public static let sslInvalidCertStatus = CurlCode(CURLE_SSL_INVALIDCERTSTATUS)
    public static let http2Stream = CurlCode(CURLE_HTTP2_STREAM)
}
