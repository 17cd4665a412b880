internal import CCurl

/// The easy-handle options Billport sets, each with its value as a Swift type.
///
/// Durations are whole milliseconds (`_MS` options, where 0 means no limit); sizes are bytes.
public enum CurlOption {
    /// `CURLOPT_URL`.
    case url(String)
    /// `CURLOPT_NOSIGNAL`: threads and signals do not mix (curl's DNS timeout uses SIGALRM otherwise).
    case noSignal(Bool)
    /// `CURLOPT_CONNECTTIMEOUT_MS`.
    case connectTimeoutMilliseconds(Int)
    /// `CURLOPT_TIMEOUT_MS`.
    case timeoutMilliseconds(Int)
    /// `CURLOPT_FOLLOWLOCATION`.
    case followLocation(Bool)
    /// `CURLOPT_MAXFILESIZE_LARGE`.
    case maxFileSize(Int)
    /// `CURLOPT_ACCEPT_ENCODING`; "" offers every encoding curl can decode.
    case acceptEncoding(String)
    /// `CURLOPT_USERAGENT`.
    case userAgent(String)
    /// `CURLOPT_NOBODY` (HEAD).
    case noBody(Bool)
    /// `CURLOPT_HTTPGET`.
    case httpGet
    /// `CURLOPT_POSTFIELDSIZE_LARGE`.
    case postFieldSize(Int)
    /// `CURLOPT_COPYPOSTFIELDS`: curl copies the bytes, so they need not outlive the call.
    case copyPostFields([UInt8])
    /// `CURLOPT_CUSTOMREQUEST`.
    case customRequest(String)
    /// `CURLOPT_HTTPHEADER`: raw `Name: value` lines (curl's own spelling rules apply).
    case httpHeaders([String])
    /// `CURLOPT_UPLOAD`.
    case upload(Bool)
    /// `CURLOPT_INFILESIZE_LARGE`.
    case uploadSize(Int)
    /// `CURLOPT_USE_SSL`.
    case useTLS(CurlTLSUse)
    /// `CURLOPT_USERNAME`.
    case username(String)
    /// `CURLOPT_PASSWORD`.
    case password(String)
    /// `CURLOPT_CAINFO`.
    case caFile(String)
    /// `CURLOPT_SSL_VERIFYPEER`.
    case verifyPeer(Bool)
    /// `CURLOPT_SSL_VERIFYHOST` (on means 2, the only safe setting).
    case verifyHost(Bool)
    /// `CURLOPT_MAIL_FROM`.
    case mailFrom(String)
    /// `CURLOPT_MAIL_RCPT`; an empty list clears it.
    case mailRecipients([String])
    /// `CURLOPT_FRESH_CONNECT`.
    case freshConnect(Bool)
    /// `CURLOPT_RESOLVE`: `host:port:address[,address…]` entries that replace name resolution
    /// for that host and port, so a connection goes only where a check allowed it.
    case resolve([String])
}

/// Whether a protocol that upgrades to TLS (SMTP's STARTTLS) must, may or must not.
public enum CurlTLSUse: Sendable {
    /// `CURLUSESSL_NONE`.
    case none
    /// `CURLUSESSL_TRY`: upgrade when the server offers it.
    case attempt
    /// `CURLUSESSL_ALL`: fail unless the whole exchange is encrypted.
    case required

    var curlValue: Int {
        switch self {
        case .none: Int(CURLUSESSL_NONE.rawValue)
        case .attempt: Int(CURLUSESSL_TRY.rawValue)
        case .required: Int(CURLUSESSL_ALL.rawValue)
        }
    }
}

/// Numbers a finished transfer can be asked for.
public enum CurlInfo {
    /// `CURLINFO_RESPONSE_CODE`: the last HTTP status or SMTP reply code.
    case responseCode
    /// `CURLINFO_OS_ERRNO`: the `errno` of a failed connect.
    case osErrno
    /// `CURLINFO_NUM_CONNECTS`: connections the last transfer had to open.
    case newConnections

    var curlValue: CURLINFO {
        switch self {
        case .responseCode: CURLINFO_RESPONSE_CODE
        case .osErrno: CURLINFO_OS_ERRNO
        case .newConnections: CURLINFO_NUM_CONNECTS
        }
    }
}
