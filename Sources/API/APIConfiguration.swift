import Foundation

/// What the API needs to know about where it is served.
public struct APIConfiguration: Sendable, Equatable {
    /// The URL buyers reach Billport at (`https://billing.example.com`); every link Billport
    /// hands out is built from it, never from a request's Host header.
    public var publicBaseURL: String
    /// Peers whose `X-Forwarded-For` is believed (the reverse proxy's address).
    public var trustedProxies: Set<String>

    public init(publicBaseURL: String = "http://127.0.0.1:8080", trustedProxies: Set<String> = []) {
        self.publicBaseURL = publicBaseURL.hasSuffix("/") ? String(publicBaseURL.dropLast()) : publicBaseURL
        self.trustedProxies = trustedProxies
    }
}
