internal import CCurl
import Foundation

/// One curl easy handle and its error buffer. Not thread-safe: `HTTPClient` confines it to
/// its serial queue. Reusing the handle reuses its connection cache, so consecutive requests
/// to one host share a kept-alive connection (and a TLS session).
final class EasyHandle {
    private let handle: UnsafeMutableRawPointer
    /// curl writes its detailed message here during `curl_easy_perform` (CURLOPT_ERRORBUFFER).
    private let errorBuffer: UnsafeMutablePointer<CChar>

    init() throws(HTTPClientError) {
        try CurlGlobal.ensureInitialized()
        guard let handle = curl_easy_init() else {
            throw HTTPClientError(kind: .other, message: "curl_easy_init failed")
        }
        self.handle = handle
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
    }

    deinit {
        curl_easy_cleanup(handle)
        errorBuffer.deallocate()
    }

    /// Sends `request` and reads the whole response. Blocks the calling thread.
    func perform(_ request: HTTPClientRequest, configuration: HTTPClientConfiguration) throws(HTTPClientError) -> HTTPClientResponse {
        if let problem = request.problem { throw HTTPClientError(kind: .invalidRequest, message: problem) }
        // Reset clears every option of the previous request but keeps the connection cache.
        curl_easy_reset(handle)
        errorBuffer[0] = 0
        let accumulator = ResponseAccumulator(limit: configuration.maxResponseBytes)
        var headerList: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(headerList) }

        try check(bp_curl_setopt_string(handle, CURLOPT_URL, request.url))
        // Threads and signals do not mix: without this, curl's DNS timeout uses SIGALRM.
        try check(bp_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1))
        try check(bp_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, configuration.connectTimeout.curlMilliseconds))
        try check(bp_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, configuration.timeout.curlMilliseconds))
        try check(bp_curl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0))
        try check(bp_curl_setopt_off(handle, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(configuration.maxResponseBytes)))
        try check(bp_curl_setopt_string(handle, CURLOPT_ACCEPT_ENCODING, ""))
        try check(bp_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer))
        if !request.headers.contains("User-Agent") {
            try check(bp_curl_setopt_string(handle, CURLOPT_USERAGENT, configuration.userAgent))
        }
        try setMethodAndBody(request)

        // An empty `Expect:` stops curl's `Expect: 100-continue` wait on larger bodies.
        var lines = ["Expect:"]
        for field in request.headers {
            // "Name:" would remove a header in curl; "Name;" is its spelling of an empty value.
            lines.append(field.value.isEmpty ? "\(field.name);" : "\(field.name): \(field.value)")
        }
        for line in lines {
            guard let appended = curl_slist_append(headerList, line) else {
                throw HTTPClientError(kind: .other, message: "out of memory building headers")
            }
            headerList = appended
        }
        try check(bp_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList))

        let context = Unmanaged.passUnretained(accumulator).toOpaque()
        try check(bp_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, context))
        try check(bp_curl_setopt_callback(handle, CURLOPT_WRITEFUNCTION) { buffer, size, count, context in
            let accumulator = Unmanaged<ResponseAccumulator>.fromOpaque(context!).takeUnretainedValue()
            return accumulator.appendBody(UnsafeRawBufferPointer(start: buffer, count: size * count))
        })
        try check(bp_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, context))
        try check(bp_curl_setopt_callback(handle, CURLOPT_HEADERFUNCTION) { buffer, size, count, context in
            let accumulator = Unmanaged<ResponseAccumulator>.fromOpaque(context!).takeUnretainedValue()
            accumulator.appendHeaderLine(UnsafeRawBufferPointer(start: buffer, count: size * count))
            return size * count
        })

        let code = withExtendedLifetime(accumulator) { curl_easy_perform(handle) }
        guard code == CURLE_OK else { throw error(for: code, accumulator: accumulator) }
        var status = 0
        try check(bp_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status))
        return HTTPClientResponse(status: status, headers: accumulator.headers, body: accumulator.body)
    }

    /// GET and HEAD have curl options of their own; a body is copied into the handle (so it
    /// need not outlive this call) and sent with any other method through CUSTOMREQUEST.
    private func setMethodAndBody(_ request: HTTPClientRequest) throws(HTTPClientError) {
        if request.method == .head {
            try check(bp_curl_setopt_long(handle, CURLOPT_NOBODY, 1))
        } else if request.method == .post || !request.body.isEmpty {
            try check(bp_curl_setopt_off(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count)))
            // COPYPOSTFIELDS needs a valid pointer even for zero bytes.
            let bytes = request.body.isEmpty ? [0] : request.body
            let code = bytes.withUnsafeBytes { buffer in
                bp_curl_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: buffer.baseAddress))
            }
            try check(code)
            if request.method != .post {
                try check(bp_curl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, request.method.rawValue))
            }
        } else if request.method == .get {
            try check(bp_curl_setopt_long(handle, CURLOPT_HTTPGET, 1))
        } else {
            try check(bp_curl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, request.method.rawValue))
        }
    }

    private func check(_ code: CURLcode) throws(HTTPClientError) {
        guard code == CURLE_OK else { throw error(for: code, accumulator: nil) }
    }

    /// Classifies a failed transfer; the message is curl's error buffer when it wrote one.
    private func error(for code: CURLcode, accumulator: ResponseAccumulator?) -> HTTPClientError {
        var message = String(cString: errorBuffer)
        if message.isEmpty { message = String(cString: curl_easy_strerror(code)) }
        let kind: HTTPClientError.Kind
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            kind = .couldNotResolveHost
        case CURLE_COULDNT_CONNECT:
            var osError = 0
            _ = bp_curl_getinfo_long(handle, CURLINFO_OS_ERRNO, &osError)
            kind = osError == Int(ECONNREFUSED) ? .connectionRefused : .couldNotConnect
        case CURLE_OPERATION_TIMEDOUT:
            kind = .timedOut
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
             CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
             CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CRL_BADFILE, CURLE_SSL_SHUTDOWN_FAILED, CURLE_USE_SSL_FAILED,
             CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_ENGINE_INITFAILED:
            kind = .tls
        case CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE, CURLE_HTTP2,
             CURLE_HTTP2_STREAM:
            kind = .connectionLost
        case CURLE_FILESIZE_EXCEEDED:
            kind = .responseTooLarge
        case CURLE_WRITE_ERROR where accumulator?.exceededLimit == true:
            kind = .responseTooLarge
            message = "the response body exceeds the configured limit"
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL:
            kind = .invalidRequest
        default:
            kind = .other
        }
        return HTTPClientError(kind: kind, message: message, curlCode: Int(code.rawValue))
    }
}
