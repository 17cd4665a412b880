import Curl

/// One libcurl handle configured for a relay, and the connection it keeps open.
///
/// Not thread-safe: `SMTPTransport` holds it inside a mutex. libcurl keeps the connection
/// of a handle in the handle's pool after a transfer, so the next message reuses it
/// (MAIL FROM right away, no new TCP, TLS or AUTH) until the server closes it or it has been
/// idle for libcurl's maximum age (118 s by default).
final class SMTPSession {
    private let curl: CurlHandle
    let endpoint: SMTPEndpoint
    /// Whether the last transfer succeeded, so that libcurl probably keeps its connection.
    private(set) var mayHoldConnection = false

    /// What the callbacks of one transfer read from and write to.
    final class Transfer {
        let bytes: [UInt8]
        var offset = 0
        var replies = SMTPReplies()
        init(bytes: [UInt8]) { self.bytes = bytes }

        /// libcurl asks for the next piece of the message.
        func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
            let length = min(buffer.count, bytes.count - offset)
            guard length > 0 else { return 0 }
            bytes.withUnsafeBytes { source in
                buffer.baseAddress!.copyMemory(from: source.baseAddress! + offset, byteCount: length)
            }
            offset += length
            return length
        }

        /// libcurl hands over one server response line.
        func reply(_ line: UnsafeRawBufferPointer) {
            replies.consume(line.assumingMemoryBound(to: UInt8.self))
        }
    }

    /// How one `perform` ended.
    struct Outcome {
        let code: CurlCode
        let replies: SMTPReplies
        let errorText: String
        let responseCode: Int
        let newConnections: Int
    }

    init(configuration: MailConfiguration, endpoint: SMTPEndpoint) throws(MailError) {
        do {
            curl = try CurlHandle()
        } catch {
            throw .configuration("libcurl could not create a handle")
        }
        self.endpoint = endpoint
        try configure(configuration)
    }

    private func configure(_ configuration: MailConfiguration) throws(MailError) {
        let tls: CurlTLSUse = switch configuration.startTLS {
        case _ where endpoint.isImplicitTLS: .required
        case .required: .required
        case .optional: .attempt
        case .off: .none
        }
        var options: [CurlOption] = [
            .url(endpoint.curlURL),
            .noSignal(true),
            .upload(true),
            .useTLS(tls),
            .connectTimeoutMilliseconds(Int(configuration.connectTimeout.milliseconds)),
            .timeoutMilliseconds(Int(configuration.timeout.milliseconds)),
        ]
        if let username = configuration.username, let password = configuration.password {
            options += [.username(username), .password(password)]
        }
        if let caFile = configuration.caFile {
            options.append(.caFile(caFile))
        }
        if configuration.insecureSkipVerify {
            options += [.verifyPeer(false), .verifyHost(false)]
        }
        do throws(CurlCode) {
            for option in options { try curl.set(option) }
        } catch {
            throw .configuration("libcurl refused an option: \(error.summary)")
        }
    }

    /// Sends `bytes` from `from` to `recipients` (validated addresses) over the kept
    /// connection or a new one, blocking until the server's final reply or a timeout.
    func perform(bytes: [UInt8], from: String, recipients: [String], freshConnection: Bool) -> Outcome {
        let transfer = Transfer(bytes: bytes)
        try? curl.set(.mailFrom("<\(from)>"))
        try? curl.set(.mailRecipients(recipients.map { "<\($0)>" }))
        try? curl.set(.uploadSize(bytes.count))
        try? curl.set(.freshConnect(freshConnection))
        let code = curl.perform(CurlCallbacks(onHeaderLine: transfer.reply, onRead: transfer.read))
        // Nothing may point at this transfer's memory once it returns.
        try? curl.set(.mailRecipients([]))
        mayHoldConnection = code.isOK
        let detail = curl.errorDetail
        let errorText = code.isOK ? "" : (detail.isEmpty ? code.summary : "\(code.summary): \(detail)") + " (curl error \(code.rawValue))"
        return Outcome(code: code, replies: transfer.replies, errorText: errorText,
                       responseCode: curl.info(.responseCode), newConnections: curl.info(.newConnections))
    }
}
