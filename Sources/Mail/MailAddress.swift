/// A mailbox: an address and an optional display name (`Zoë Müller <zoe@example.com>`).
///
/// Constructing one never fails, so that values are easy to build; rendering and sending
/// validate it and name the header it was meant for in the error.
public struct MailAddress: Sendable, Hashable {
    /// `local@domain`, ASCII (Billport does not speak SMTPUTF8; IDN domains arrive punycoded).
    public var address: String
    /// The human name shown by mail clients; any Unicode text without CR or LF.
    public var name: String?

    /// An address with an optional display name.
    public init(_ address: String, name: String? = nil) {
        self.address = address
        self.name = name
    }

    /// The part after the `@` (used for generated Message-IDs).
    public var domain: Substring {
        address.firstIndex(of: "@").map { address[address.index(after: $0)...] } ?? ""
    }

    /// Checks the address the pragmatic way mail servers do: one `@`, a non-empty local part
    /// and domain, printable ASCII without spaces, angle brackets or a few other specials, at
    /// most 254 octets (RFC 5321 §4.5.3.1.3). Throws `headerInjection` for CR/LF in either the
    /// address or the name, so that neither can smuggle in a header or an SMTP command.
    public func validate(field: String) throws(MailError) {
        try Self.validate(address: address, field: field)
        if let name, name.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A }) {
            throw .headerInjection(field: field)
        }
    }

    /// Validates a bare address (envelope sender or recipient) for `field`.
    public static func validate(address: String, field: String) throws(MailError) {
        let bytes = Array(address.utf8)
        if bytes.contains(where: { $0 == 0x0D || $0 == 0x0A }) { throw .headerInjection(field: field) }
        func fail(_ reason: String) -> MailError { .invalidAddress(field: field, address: address, reason: reason) }
        guard bytes.count <= 254 else { throw fail("longer than 254 octets") }
        guard let at = bytes.firstIndex(of: UInt8(ascii: "@")), bytes.lastIndex(of: UInt8(ascii: "@")) == at else {
            throw fail("needs exactly one @")
        }
        guard at > 0, at < bytes.count - 1 else { throw fail("empty local part or domain") }
        guard at <= 64 else { throw fail("local part longer than 64 octets") }
        for byte in bytes {
            guard byte > 0x20, byte < 0x7F else { throw fail("only printable ASCII without spaces is allowed") }
            guard !Self.forbidden.contains(byte) else { throw fail("contains '\(Character(Unicode.Scalar(byte)))'") }
        }
        let domain = bytes[(at + 1)...]
        guard domain.first != UInt8(ascii: "."), domain.last != UInt8(ascii: "."),
              !zip(domain, domain.dropFirst()).contains(where: { $0 == UInt8(ascii: ".") && $1 == UInt8(ascii: ".") })
        else { throw fail("malformed domain") }
    }

    /// Characters that would end or confuse an addr-spec in a header or an SMTP command.
    private static let forbidden: Set<UInt8> = Set("<>()[],;:\"\\".utf8)
}
