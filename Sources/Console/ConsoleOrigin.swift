import BillportCore
import HTTPServer

/// Where a request says it comes from and goes to, checked before anything is shown or changed.
///
/// The `Host` must be an IP literal or one of `allowedHostNames`: a page on another site whose
/// name an attacker points at 127.0.0.1 (DNS rebinding) would otherwise be same-origin with the
/// console. A change must also come from the console's own origin when the browser says where it
/// comes from (`Origin`, else `Referer`).
struct ConsoleOrigin: Sendable {
    /// Host names (without port) the console answers to besides IP literals.
    let allowedHostNames: Set<String>

    /// Whether the request's `Host` names the console; a request without one passes (no browser sends that).
    func hostIsAllowed(_ request: HTTPRequest) -> Bool {
        guard let host = request.headers["Host"] else { return true }
        guard let name = Self.hostName(host) else { return false }
        return IPAddress(name) != nil || allowedHostNames.contains(name.lowercased())
    }

    /// Whether `Origin` (or, without it, `Referer`) is the console itself; passes when neither is sent.
    func isSameOrigin(_ request: HTTPRequest) -> Bool {
        guard let host = request.headers["Host"]?.lowercased() else {
            return request.headers["Origin"] == nil && request.headers["Referer"] == nil
        }
        let own = ["http://" + host, "https://" + host]
        if let origin = request.headers["Origin"] {
            return own.contains(origin.lowercased())
        }
        if let referer = request.headers["Referer"]?.lowercased() {
            return own.contains { referer == $0 || referer.hasPrefix($0 + "/") }
        }
        return true
    }

    /// `127.0.0.1:9090` → `127.0.0.1`, `[::1]:9090` → `::1`; nil when malformed.
    static func hostName(_ host: String) -> String? {
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { return nil }
            return String(host[host.index(after: host.startIndex)..<close])
        }
        let name = host.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)[0]
        return name.isEmpty ? nil : String(name)
    }
}
