import Curl
import Foundation

/// The client's curl handle, set up afresh for each request. Not thread-safe: `HTTPClient`
/// confines it to its serial queue. Reusing the handle reuses its connection cache, so
/// consecutive requests to one host share a kept-alive connection (and a TLS session).
final class HTTPTransfer {
    private let curl: CurlHandle

    init() throws(HTTPClientError) {
        do {
            curl = try CurlHandle()
        } catch .globalInitFailed(let code) {
            throw HTTPClientError(kind: .other, message: "curl_global_init failed", curlCode: code.rawValue)
        } catch {
            throw HTTPClientError(kind: .other, message: "curl_easy_init failed")
        }
    }

    /// Sends `request` and reads the whole response. Blocks the calling thread.
    func perform(_ request: HTTPClientRequest, configuration: HTTPClientConfiguration) throws(HTTPClientError) -> HTTPClientResponse {
        if let problem = request.problem { throw HTTPClientError(kind: .invalidRequest, message: problem) }
        // Reset clears every option of the previous request but keeps the connection cache.
        curl.reset()
        let accumulator = ResponseAccumulator(limit: configuration.maxResponseBytes)

        try set(.url(request.url))
        // Threads and signals do not mix: without this, curl's DNS timeout uses SIGALRM.
        try set(.noSignal(true))
        try set(.connectTimeoutMilliseconds(configuration.connectTimeout.curlMilliseconds))
        try set(.timeoutMilliseconds(configuration.timeout.curlMilliseconds))
        try set(.followLocation(false))
        if !configuration.truncatesResponseBody {
            try set(.maxFileSize(configuration.maxResponseBytes))
        }
        if let pin = request.pinnedAddresses {
            try set(.resolve([pin.curlEntry]))
        }
        try set(.acceptEncoding(""))
        if !request.headers.contains("User-Agent") {
            try set(.userAgent(configuration.userAgent))
        }
        try setMethodAndBody(request)

        // An empty `Expect:` stops curl's `Expect: 100-continue` wait on larger bodies.
        var lines = ["Expect:"]
        for field in request.headers {
            // "Name:" would remove a header in curl; "Name;" is its spelling of an empty value.
            lines.append(field.value.isEmpty ? "\(field.name);" : "\(field.name): \(field.value)")
        }
        do throws(CurlCode) {
            try curl.set(.httpHeaders(lines))
        } catch .outOfMemory {
            throw HTTPClientError(kind: .other, message: "out of memory building headers")
        } catch {
            throw self.error(for: error, accumulator: nil)
        }

        let code = curl.perform(CurlCallbacks(onBody: accumulator.appendBody, onHeaderLine: accumulator.appendHeaderLine))
        let truncated = configuration.truncatesResponseBody && code == .writeError && accumulator.exceededLimit
        guard code.isOK || truncated else { throw error(for: code, accumulator: accumulator) }
        return HTTPClientResponse(status: curl.info(.responseCode), headers: accumulator.headers, body: accumulator.body)
    }

    /// GET and HEAD have curl options of their own; a body is copied into the handle (so it
    /// need not outlive this call) and sent with any other method through CUSTOMREQUEST.
    private func setMethodAndBody(_ request: HTTPClientRequest) throws(HTTPClientError) {
        if request.method == .head {
            try set(.noBody(true))
        } else if request.method == .post || !request.body.isEmpty {
            try set(.postFieldSize(request.body.count))
            try set(.copyPostFields(request.body))
            if request.method != .post {
                try set(.customRequest(request.method.rawValue))
            }
        } else if request.method == .get {
            try set(.httpGet)
        } else {
            try set(.customRequest(request.method.rawValue))
        }
    }

    private func set(_ option: CurlOption) throws(HTTPClientError) {
        do throws(CurlCode) {
            try curl.set(option)
        } catch {
            throw self.error(for: error, accumulator: nil)
        }
    }

    /// Classifies a failed transfer; the message is curl's error buffer when it wrote one.
    private func error(for code: CurlCode, accumulator: ResponseAccumulator?) -> HTTPClientError {
        var message = curl.errorDetail
        if message.isEmpty { message = code.summary }
        let kind: HTTPClientError.Kind
        switch code {
        case .couldNotResolveHost, .couldNotResolveProxy:
            kind = .couldNotResolveHost
        case .couldNotConnect:
            kind = curl.info(.osErrno) == Int(ECONNREFUSED) ? .connectionRefused : .couldNotConnect
        case .operationTimedOut:
            kind = .timedOut
        case .sslConnectError, .peerFailedVerification, .sslCertProblem, .sslCipher,
             .sslCACertBadFile, .sslIssuerError, .sslPinnedPublicKeyNotMatch,
             .sslInvalidCertStatus, .sslCRLBadFile, .sslShutdownFailed, .useSSLFailed,
             .sslEngineNotFound, .sslEngineSetFailed, .sslEngineInitFailed:
            kind = .tls
        case .sendError, .receiveError, .gotNothing, .partialFile, .http2, .http2Stream:
            kind = .connectionLost
        case .fileSizeExceeded:
            kind = .responseTooLarge
        case .writeError where accumulator?.exceededLimit == true:
            kind = .responseTooLarge
            message = "the response body exceeds the configured limit"
        case .urlMalformat, .unsupportedProtocol:
            kind = .invalidRequest
        default:
            kind = .other
        }
        return HTTPClientError(kind: kind, message: message, curlCode: code.rawValue)
    }
}
