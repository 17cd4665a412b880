import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A loopback port bound and never listened on, held until this is released: a connection to it
/// is refused, and no other server of the test run can take the port in the meantime.
public final class UnlistenedPort: @unchecked Sendable {
    // Safety: `fd` is set once and only closed in deinit.
    private let fd: Int32
    public let port: Int

    public init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard fd >= 0, bound else {
            if fd >= 0 { close(fd) }
            throw POSIXError(.EADDRINUSE)
        }
        self.fd = fd
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(fd) }
}

/// Free loopback ports for child processes that bind their own.
public enum HTTPPort {
    /// A port that was free a moment ago (bound to port 0, then released).
    public static func free() throws -> Int { try UnlistenedPort().port }
}
