internal import COpenSSL
import Foundation

/// Random bytes from the OS CSPRNG through OpenSSL's `RAND_bytes`, for tokens, secrets and ids.
public enum SecureRandom {
    /// `count` random bytes. Traps only if the CSPRNG itself fails, which OpenSSL reports when the
    /// OS cannot seed it; no token may ever be made from weaker randomness.
    public static func bytes(_ count: Int) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        let status = buffer.withUnsafeMutableBufferPointer { RAND_bytes($0.baseAddress, Int32(count)) }
        precondition(status == 1, "RAND_bytes failed: the OS random source is unavailable")
        return buffer
    }

    /// `count` random bytes encoded as base64url without padding (RFC 4648 §5).
    public static func base64URL(byteCount count: Int) -> String {
        Base64URL.encode(bytes(count))
    }
}

/// base64url without padding (RFC 4648 §5), the form tokens take in URLs.
public enum Base64URL {
    /// Encodes `bytes`.
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Decodes `text`; nil when it is not base64url.
    public static func decode(_ text: String) -> [UInt8]? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        guard !base64.contains("=") else { return nil }
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64).map { [UInt8]($0) }
    }
}
