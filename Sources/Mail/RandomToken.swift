/// Unguessable lowercase alphanumeric strings for MIME boundaries and Message-IDs.
///
/// `SystemRandomNumberGenerator` reads the OS CSPRNG (getrandom on Linux), so a boundary
/// cannot be predicted and planted in a body by whoever writes the invoice text.
enum RandomToken {
    private static let alphabet = Array("0123456789abcdefghijklmnopqrstuvwxyz".utf8)

    /// `length` characters, each uniformly drawn (26 characters carry about 134 bits).
    static func make(length: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }
        return String(decoding: bytes, as: UTF8.self)
    }
}
