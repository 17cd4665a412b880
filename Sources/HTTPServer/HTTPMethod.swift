/// The request methods this server dispatches; anything else is answered 501 (RFC 9110 §9.1).
public enum HTTPMethod: String, Sendable, Hashable, CaseIterable {
    /// Reads a resource.
    case get = "GET"
    /// GET without the body; answered with the GET headers.
    case head = "HEAD"
    /// Submits data to be processed.
    case post = "POST"
    /// Replaces a resource.
    case put = "PUT"
    /// Partly modifies a resource.
    case patch = "PATCH"
    /// Removes a resource.
    case delete = "DELETE"
    /// Asks what a resource (or `*`, the server) supports.
    case options = "OPTIONS"

    /// Matches the method token byte for byte: methods are case-sensitive (RFC 9110 §9.1).
    init?(bytes: UnsafeBufferPointer<UInt8>) {
        switch bytes.count {
        case 3:
            if Self.equal(bytes, "GET") { self = .get; return }
            if Self.equal(bytes, "PUT") { self = .put; return }
        case 4:
            if Self.equal(bytes, "HEAD") { self = .head; return }
            if Self.equal(bytes, "POST") { self = .post; return }
        case 5:
            if Self.equal(bytes, "PATCH") { self = .patch; return }
        case 6:
            if Self.equal(bytes, "DELETE") { self = .delete; return }
        case 7:
            if Self.equal(bytes, "OPTIONS") { self = .options; return }
        default:
            break
        }
        return nil
    }

    private static func equal(_ bytes: UnsafeBufferPointer<UInt8>, _ literal: StaticString) -> Bool {
        guard bytes.count == literal.utf8CodeUnitCount else { return false }
        let ptr = literal.utf8Start
        for index in 0..<bytes.count where bytes[index] != ptr[index] { return false }
        return true
    }
}

/// The protocol version of a request, so handlers can tell HTTP/1.0 clients apart.
public struct HTTPVersion: Sendable, Hashable, CustomStringConvertible {
    /// The major version digit.
    public var major: Int
    /// The minor version digit.
    public var minor: Int

    /// Makes a version from its two digits.
    public init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }

    /// HTTP/1.0: connections close after each response unless the client asks for keep-alive.
    public static let http1_0 = HTTPVersion(major: 1, minor: 0)
    /// HTTP/1.1: persistent connections by default (RFC 9112 §9.3).
    public static let http1_1 = HTTPVersion(major: 1, minor: 1)

    /// The version as it appears on the wire, e.g. `HTTP/1.1`.
    public var description: String { "HTTP/\(major).\(minor)" }
}
