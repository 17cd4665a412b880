internal import CCurl

/// libcurl's process-wide set-up, the one guard for every handle in the process.
///
/// `curl_global_init` is not thread-safe and must run once before any handle is made. A
/// `static let` is initialised exactly once, atomically, on first use (Swift runs it under
/// `swift_once`), which is all the guarding it needs. It is never undone: `curl_global_cleanup`
/// at exit buys nothing and races handles still in use.
enum CurlGlobal {
    /// The result of the one `curl_global_init(CURL_GLOBAL_DEFAULT)` call.
    private static let initResult = CurlCode(curl_global_init(Int(CURL_GLOBAL_DEFAULT)))

    /// Runs the initialisation if it has not run; throws its code if it failed.
    static func ensureInitialized() throws(CurlSetupError) {
        let code = initResult
        guard code.isOK else { throw .globalInitFailed(code) }
    }
}

/// Why no handle could be made.
public enum CurlSetupError: Error, Sendable, Equatable {
    /// `curl_global_init` failed with this code.
    case globalInitFailed(CurlCode)
    /// `curl_easy_init` returned no handle (out of memory).
    case handleNotCreated
}
