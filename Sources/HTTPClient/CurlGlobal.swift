internal import CCurl

/// libcurl's process-wide set-up. `curl_global_init` is not thread-safe and must run once
/// before any handle is made; a `static let` is initialised exactly once, atomically, on first
/// use (Swift runs it under `swift_once`), which is all the guarding it needs. It is never
/// undone: `curl_global_cleanup` at exit buys nothing and races handles still in use.
enum CurlGlobal {
    /// The `CURLcode` of the one `curl_global_init(CURL_GLOBAL_DEFAULT)` call.
    private static let initResult: UInt32 = curl_global_init(Int(CURL_GLOBAL_SSL | CURL_GLOBAL_WIN32)).rawValue

    /// Runs the initialisation if it has not run; throws if it failed.
    static func ensureInitialized() throws(HTTPClientError) {
        let code = initResult
        guard code == CURLE_OK.rawValue else {
            throw HTTPClientError(kind: .other, message: "curl_global_init failed", curlCode: Int(code))
        }
    }
}
