import Foundation

/// The relay a configuration names, checked: scheme, host, port, EHLO name.
struct SMTPEndpoint: Sendable, Equatable {
    /// `smtp` or `smtps`.
    let scheme: String
    /// The host as written in the URL (brackets kept for IPv6).
    let host: String
    /// The port, 25 or 465 when the URL has none.
    let port: Int
    /// The URL libcurl gets: its path is the EHLO name (libcurl's SMTP URL syntax).
    let curlURL: String

    /// Whether TLS starts with the connection (`smtps://`, RFC 8314).
    var isImplicitTLS: Bool { scheme == "smtps" }

    /// `scheme://host:port`, for error messages.
    var display: String { "\(scheme)://\(host):\(port)" }

    init(configuration: MailConfiguration) throws(MailError) {
        guard let components = URLComponents(string: configuration.url), let scheme = components.scheme?.lowercased(),
              scheme == "smtp" || scheme == "smtps" else {
            throw .configuration("mail.url '\(configuration.url)' is not smtp://host:port or smtps://host:port")
        }
        guard components.user == nil, components.password == nil else {
            throw .configuration("mail.url must not hold credentials; set mail.username and mail.password")
        }
        guard let host = components.percentEncodedHost, !host.isEmpty else {
            throw .configuration("mail.url '\(configuration.url)' has no host")
        }
        guard components.path.isEmpty || components.path == "/", components.query == nil, components.fragment == nil else {
            throw .configuration("mail.url must be scheme://host:port without a path; the EHLO name is mail.heloName")
        }
        let port = components.port ?? (scheme == "smtps" ? 465 : 25)
        guard (1...65535).contains(port) else { throw .configuration("mail.url port \(port) is out of range") }
        var path = ""
        if let helo = configuration.heloName {
            guard !helo.isEmpty, helo.utf8.count <= 253,
                  helo.utf8.allSatisfy({ $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_")
                      || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0 | 0x20) })
            else { throw .configuration("mail.heloName '\(helo)' is not a host name") }
            path = "/" + helo
        }
        let wantsAuth = configuration.username != nil
        let loopback = host.lowercased() == "localhost" || host.hasPrefix("127.") || host == "[::1]"
        if wantsAuth, scheme == "smtp", configuration.startTLS != .required, !loopback {
            throw .configuration("mail.username is set but mail.startTLS is '\(configuration.startTLS.rawValue)': "
                                 + "the password could cross the network in clear text; use required or smtps://")
        }
        self.scheme = scheme
        self.host = host
        self.port = port
        curlURL = "\(scheme)://\(host):\(port)\(path)"
    }
}
