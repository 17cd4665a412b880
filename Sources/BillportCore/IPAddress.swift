import Foundation

/// An IPv4 (4 bytes) or IPv6 (16 bytes) address, as a resolver returns it.
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    /// Network byte order.
    public let bytes: [UInt8]

    /// `bytes` of length 4 or 16.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 4 || bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    /// A numeric address in its standard text form (`192.0.2.1`, `2001:db8::1`, brackets allowed);
    /// nil for anything else, names included.
    public init?(_ text: String) {
        var literal = text
        if literal.hasPrefix("["), literal.hasSuffix("]") { literal = String(literal.dropFirst().dropLast()) }
        var v4 = in_addr()
        var v6 = in6_addr()
        if inet_pton(AF_INET, literal, &v4) == 1 {
            bytes = withUnsafeBytes(of: &v4) { Array($0) }
        } else if inet_pton(AF_INET6, literal, &v6) == 1 {
            bytes = withUnsafeBytes(of: &v6) { Array($0) }
        } else {
            return nil
        }
    }

    public var isIPv4: Bool { bytes.count == 4 }

    /// The address an IPv6 address carries in its last four bytes when it is IPv4-mapped
    /// (`::ffff:a.b.c.d`), IPv4-compatible (`::a.b.c.d`) or NAT64 (`64:ff9b::a.b.c.d`): where a
    /// connection to it really goes.
    public var embeddedIPv4: IPAddress? {
        guard bytes.count == 16 else { return nil }
        let head = Array(bytes.prefix(12))
        let mapped = head == Array(repeating: 0, count: 10) + [0xFF, 0xFF]
        let compatible = head == Array(repeating: 0, count: 12) && bytes[12...].contains { $0 != 0 } && bytes[12...] != [0, 0, 0, 1]
        let nat64 = head == [0x00, 0x64, 0xFF, 0x9B] + Array(repeating: 0, count: 8)
        return mapped || compatible || nat64 ? IPAddress(bytes: Array(bytes.suffix(4))) : nil
    }

    public var description: String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let family = isIPv4 ? AF_INET : AF_INET6
        _ = bytes.withUnsafeBytes { raw in inet_ntop(family, raw.baseAddress, &buffer, socklen_t(buffer.count)) }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// Finds the addresses a host name stands for.
public protocol HostResolver: Sendable {
    /// Every address `host` resolves to (a numeric host resolves to itself); throws when none.
    func addresses(of host: String) async throws -> [IPAddress]
}

/// The name could not be resolved.
public struct HostResolutionError: Error, Sendable, CustomStringConvertible {
    public let host: String
    public let reason: String

    public init(host: String, reason: String) {
        self.host = host
        self.reason = reason
    }
    public var description: String { "cannot resolve \(host): \(reason)" }
}

/// The system's resolver (getaddrinfo: /etc/hosts, then DNS), run off the caller's thread since
/// it blocks.
public struct SystemHostResolver: HostResolver {
    public init() {}

    public func addresses(of host: String) async throws -> [IPAddress] {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try Self.resolve(host) })
            }
        }
    }

    static func resolve(_ host: String) throws -> [IPAddress] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &list)
        guard status == 0 else { throw HostResolutionError(host: host, reason: String(cString: gai_strerror(status))) }
        defer { freeaddrinfo(list) }
        var found: [IPAddress] = []
        var entry = list
        while let info = entry?.pointee {
            if let address = info.ai_addr {
                switch Int32(info.ai_family) {
                case AF_INET:
                    var v4 = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
                    found.append(IPAddress(bytes: withUnsafeBytes(of: &v4) { Array($0) })!)
                case AF_INET6:
                    var v6 = address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_addr }
                    found.append(IPAddress(bytes: withUnsafeBytes(of: &v6) { Array($0) })!)
                default: break
                }
            }
            entry = info.ai_next
        }
        guard !found.isEmpty else { throw HostResolutionError(host: host, reason: "no address") }
        var seen = Set<IPAddress>()
        return found.filter { seen.insert($0).inserted }
    }
}
