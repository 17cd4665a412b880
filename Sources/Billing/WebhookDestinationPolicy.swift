import BillportCore
import Foundation

/// Where Billport may send a tenant's webhooks. A tenant's URL makes the server connect
/// somewhere: without this rule it could reach the operator's own network (the database admin,
/// the cloud metadata service at 169.254.169.254) and read the answers in the delivery log.
public struct WebhookDestinationPolicy: Sendable, Equatable {
    /// `webhooks.allowHTTP`: plain http besides https.
    public var allowHTTP: Bool
    /// `webhooks.allowPrivateDestinations`: private, loopback, link-local and similar addresses.
    public var allowPrivateDestinations: Bool

    public init(allowHTTP: Bool = false, allowPrivateDestinations: Bool = false) {
        self.allowHTTP = allowHTTP
        self.allowPrivateDestinations = allowPrivateDestinations
    }

    /// A URL that passed the rule, with the addresses its host resolved to: the delivery
    /// connects to these, so a name cannot resolve elsewhere between check and send.
    public struct Destination: Sendable, Equatable {
        public let url: String
        public let host: String
        public let port: Int
        public let addresses: [IPAddress]
    }

    /// The checks that need no resolver: an absolute http(s) URL with a host, no user name or
    /// password (`https://example.com@127.0.0.1/` goes to 127.0.0.1), a valid port, no fragment.
    public func checkSyntax(_ url: String) throws(FieldError) -> (host: String, port: Int) {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
              let rawHost = components.host, !rawHost.isEmpty else {
            throw FieldError("url", "must be an absolute URL like https://erp.example.com/billport")
        }
        guard scheme == "https" || (scheme == "http" && allowHTTP) else {
            throw FieldError("url", scheme == "http" ? "must use https (the operator has not allowed plain http)" : "must be an https URL")
        }
        let authority = url.split(separator: "//", maxSplits: 1).dropFirst().first?.prefix { !"/?#".contains($0) } ?? ""
        guard components.user == nil, components.password == nil, !authority.contains("@") else {
            throw FieldError("url", "must not contain a user name or password")
        }
        guard components.fragment == nil else { throw FieldError("url", "must not contain a fragment (#…)") }
        let port = components.port ?? (scheme == "https" ? 443 : 80)
        guard (1...65_535).contains(port) else { throw FieldError("url", "has an invalid port") }
        var host = rawHost
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host.lowercased(), port)
    }

    /// Why `address` is refused, or nil when it may be reached. With
    /// `allowPrivateDestinations` every unicast address may; multicast and unspecified never.
    public func refusal(_ address: IPAddress) -> String? {
        if let inner = address.embeddedIPv4 { return refusal(inner) }
        guard let range = Self.specialRange(address) else { return nil }
        if allowPrivateDestinations, !["unspecified", "multicast", "broadcast or reserved"].contains(range) { return nil }
        return range
    }

    /// The special-purpose range `address` falls in (RFC 6890), or nil for a public address.
    static func specialRange(_ address: IPAddress) -> String? {
        let b = address.bytes
        if address.isIPv4 {
            switch (b[0], b[1]) {
            case (0, _): return "unspecified"
            case (10, _), (172, 16...31), (192, 168): return "private"
            case (100, 64...127): return "shared (CGNAT)"
            case (127, _): return "loopback"
            case (169, 254): return "link-local"
            case (224...239, _): return "multicast"
            case (240...255, _): return "broadcast or reserved"
            default: return nil
            }
        }
        if b.allSatisfy({ $0 == 0 }) { return "unspecified" }
        if b.dropLast().allSatisfy({ $0 == 0 }) && b[15] == 1 { return "loopback" }
        if b[0] & 0xFE == 0xFC { return "private" }
        if b[0] == 0xFE && b[1] & 0xC0 == 0x80 { return "link-local" }
        if b[0] == 0xFF { return "multicast" }
        return nil
    }

    /// The whole check: syntax, then every address the host resolves to (all must pass, since
    /// a connection may use any). A refusal is a `FieldError` naming `url`. Run at registration
    /// and again before each delivery.
    public func check(_ url: String, resolver: any HostResolver) async throws -> Destination {
        let (host, port) = try checkSyntax(url)
        let addresses: [IPAddress]
        do {
            addresses = try await resolver.addresses(of: host)
        } catch {
            throw FieldError("url", "names a host that cannot be resolved (\(host))")
        }
        for address in addresses {
            if let range = refusal(address) {
                throw FieldError("url", "resolves to \(address), a \(range) address; webhooks go to public addresses only")
            }
        }
        return Destination(url: url, host: host, port: port, addresses: addresses)
    }
}
