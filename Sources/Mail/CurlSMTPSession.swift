internal import CCurl
import Foundation

/// One libcurl easy handle configured for a relay, and the connection it keeps open.
///
/// Not thread-safe: `SMTPTransport` holds it inside a mutex. libcurl keeps the connection
/// of an easy handle in the handle's pool after a transfer, so the next message reuses it
/// (MAIL FROM right away, no new TCP, TLS or AUTH) until the server closes it or it has been
/// idle for libcurl's maximum age (118 s by default).
final class CurlSMTPSession {
    private let handle: UnsafeMutableRawPointer
    private let errorBuffer: UnsafeMutablePointer<CChar>
    let endpoint: SMTPEndpoint
    /// Whether the last transfer succeeded, so that libcurl probably keeps its connection.
    private(set) var mayHoldConnection = false

    /// What the callbacks of one transfer read from and write to.
    final class Transfer {
        let bytes: [UInt8]
        var offset = 0
        var replies = SMTPReplies()
        init(bytes: [UInt8]) { self.bytes = bytes }
    }

    /// How one `perform` ended.
    struct Outcome {
        let code: Int32
        let replies: SMTPReplies
        let errorText: String
        let responseCode: Int
        let newConnections: Int
    }

    init(configuration: MailConfiguration, endpoint: SMTPEndpoint) throws(MailError) {
        CurlRuntime.ensureInitialized()
        guard let handle = curl_easy_init() else { throw .configuration("libcurl could not create a handle") }
        self.handle = handle
        self.endpoint = endpoint
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        try configure(configuration)
    }

    deinit {
        curl_easy_cleanup(handle)   // says QUIT on a connection still open
        errorBuffer.deallocate()
    }

    private func configure(_ configuration: MailConfiguration) throws(MailError) {
        let useSSL: curl_usessl = switch configuration.startTLS {
        case _ where endpoint.isImplicitTLS: CURLUSESSL_ALL
        case .required: CURLUSESSL_ALL
        case .optional: CURLUSESSL_TRY
        case .off: CURLUSESSL_NONE
        }
        var results: [CURLcode] = [
            bp_curl_setopt_string(handle, CURLOPT_URL, endpoint.curlURL),
            bp_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer),
            bp_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1),
            bp_curl_setopt_long(handle, CURLOPT_UPLOAD, 1),
            bp_curl_setopt_long(handle, CURLOPT_USE_SSL, Int(useSSL.rawValue)),
            bp_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Int(configuration.connectTimeout.milliseconds)),
            bp_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, Int(configuration.timeout.milliseconds)),
            bp_curl_setopt_callback(handle, CURLOPT_READFUNCTION, Self.readCallback),
            bp_curl_setopt_callback(handle, CURLOPT_HEADERFUNCTION, Self.replyCallback),
        ]
        if let username = configuration.username, let password = configuration.password {
            results.append(bp_curl_setopt_string(handle, CURLOPT_USERNAME, username))
            results.append(bp_curl_setopt_string(handle, CURLOPT_PASSWORD, password))
        }
        if let caFile = configuration.caFile {
            results.append(bp_curl_setopt_string(handle, CURLOPT_CAINFO, caFile))
        }
        if configuration.insecureSkipVerify {
            results.append(bp_curl_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 0))
            results.append(bp_curl_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 0))
        }
        if let failed = results.first(where: { $0 != CURLE_OK }) {
            throw .configuration("libcurl refused an option: \(String(cString: curl_easy_strerror(failed)))")
        }
    }

    /// Sends `bytes` from `from` to `recipients` (validated addresses) over the kept
    /// connection or a new one, blocking until the server's final reply or a timeout.
    func perform(bytes: [UInt8], from: String, recipients: [String], freshConnection: Bool) -> Outcome {
        errorBuffer[0] = 0
        let transfer = Transfer(bytes: bytes)
        var list: UnsafeMutablePointer<curl_slist>?
        for recipient in recipients { list = curl_slist_append(list, "<\(recipient)>") }
        defer { curl_slist_free_all(list) }
        let context = Unmanaged.passUnretained(transfer).toOpaque()
        _ = bp_curl_setopt_string(handle, CURLOPT_MAIL_FROM, "<\(from)>")
        _ = bp_curl_setopt_slist(handle, CURLOPT_MAIL_RCPT, list)
        _ = bp_curl_setopt_off(handle, CURLOPT_INFILESIZE_LARGE, curl_off_t(bytes.count))
        _ = bp_curl_setopt_pointer(handle, CURLOPT_READDATA, context)
        _ = bp_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, context)
        _ = bp_curl_setopt_long(handle, CURLOPT_FRESH_CONNECT, freshConnection ? 1 : 0)
        let code = withExtendedLifetime(transfer) { curl_easy_perform(handle) }
        // Nothing may point at this transfer's memory once it returns.
        _ = bp_curl_setopt_slist(handle, CURLOPT_MAIL_RCPT, nil)
        _ = bp_curl_setopt_pointer(handle, CURLOPT_READDATA, nil)
        _ = bp_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, nil)
        var responseCode = 0, connects = 0
        _ = bp_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &responseCode)
        _ = bp_curl_getinfo_long(handle, CURLINFO_NUM_CONNECTS, &connects)
        mayHoldConnection = code == CURLE_OK
        let detail = String(cString: errorBuffer)
        let summary = String(cString: curl_easy_strerror(code))
        let errorText = code == CURLE_OK ? "" : (detail.isEmpty ? summary : "\(summary): \(detail)") + " (curl error \(code.rawValue))"
        return Outcome(code: Int32(code.rawValue), replies: transfer.replies, errorText: errorText,
                       responseCode: responseCode, newConnections: connects)
    }

    /// libcurl asks for the next piece of the message.
    private static let readCallback: bp_curl_io_callback = { buffer, size, count, context in
        guard let buffer, let context else { return 0 }
        let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
        let length = min(size * count, transfer.bytes.count - transfer.offset)
        guard length > 0 else { return 0 }
        transfer.bytes.withUnsafeBytes { source in
            UnsafeMutableRawPointer(buffer).copyMemory(from: source.baseAddress! + transfer.offset, byteCount: length)
        }
        transfer.offset += length
        return length
    }

    /// libcurl hands over one server response line.
    private static let replyCallback: bp_curl_io_callback = { buffer, size, count, context in
        guard let buffer, let context else { return size * count }
        let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
        buffer.withMemoryRebound(to: UInt8.self, capacity: size * count) { bytes in
            transfer.replies.consume(UnsafeBufferPointer(start: bytes, count: size * count))
        }
        return size * count
    }
}

/// libcurl's process-wide initialisation, done once before the first handle.
///
/// `curl_global_init` is not thread-safe in every libcurl build; a `static let` runs it
/// exactly once (Swift's lazy globals are initialised atomically).
enum CurlRuntime {
    private static let initialized: Bool = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK

    static func ensureInitialized() { _ = initialized }
}
