internal import COpenSSL

/// AES-256-GCM for what Billport must keep for a while but may not keep readable: an answer
/// stored under an `Idempotency-Key` can hold a link token that the database otherwise holds
/// only hashed. `context` (authenticated, not stored) binds a sealed value to where it is kept,
/// so a value moved to another row does not open.
public struct SealingKey: Sendable {
    private let key: [UInt8]
    private static let nonceLength = 12
    private static let tagLength = 16

    /// A key of exactly 32 bytes.
    public init(key: [UInt8]) {
        precondition(key.count == 32, "an AES-256 key is 32 bytes")
        self.key = key
    }

    /// Random nonce, ciphertext and tag, in that order.
    public func seal(_ plaintext: [UInt8], context: [UInt8]) -> [UInt8] {
        let nonce = SecureRandom.bytes(Self.nonceLength)
        var tag = [UInt8](repeating: 0, count: Self.tagLength)
        guard let ciphertext = crypt(plaintext, nonce: nonce, context: context, tag: &tag, encrypt: true) else {
            preconditionFailure("AES-256-GCM sealing failed")
        }
        return nonce + ciphertext + tag
    }

    /// The plaintext, or nil when `sealed` was not sealed with this key and `context` (or was changed).
    public func open(_ sealed: [UInt8], context: [UInt8]) -> [UInt8]? {
        guard sealed.count >= Self.nonceLength + Self.tagLength else { return nil }
        var tag = Array(sealed.suffix(Self.tagLength))
        return crypt(Array(sealed.dropFirst(Self.nonceLength).dropLast(Self.tagLength)), nonce: Array(sealed.prefix(Self.nonceLength)),
                     context: context, tag: &tag, encrypt: false)
    }

    /// One pass of AES-256-GCM either way: encrypting fills `tag`, decrypting checks it.
    private func crypt(_ input: [UInt8], nonce: [UInt8], context: [UInt8], tag: inout [UInt8], encrypt: Bool) -> [UInt8]? {
        guard let cipher = EVP_CIPHER_CTX_new() else { return nil }
        defer { EVP_CIPHER_CTX_free(cipher) }
        let mode: Int32 = encrypt ? 1 : 0
        var output = [UInt8](repeating: 0, count: input.count + 16)
        var length: Int32 = 0, final: Int32 = 0
        var ok = EVP_CipherInit_ex(cipher, EVP_aes_256_gcm(), nil, nil, nil, mode) == 1
            && EVP_CIPHER_CTX_ctrl(cipher, EVP_CTRL_GCM_SET_IVLEN, Int32(Self.nonceLength), nil) == 1
            && EVP_CipherInit_ex(cipher, nil, nil, key, nonce, mode) == 1
        if ok, !context.isEmpty { ok = EVP_CipherUpdate(cipher, nil, &length, context, Int32(context.count)) == 1 }
        length = 0
        if ok, !input.isEmpty { ok = EVP_CipherUpdate(cipher, &output, &length, input, Int32(input.count)) == 1 }
        if ok, !encrypt { ok = EVP_CIPHER_CTX_ctrl(cipher, EVP_CTRL_GCM_SET_TAG, Int32(Self.tagLength), &tag) == 1 }
        ok = ok && output.withUnsafeMutableBufferPointer { EVP_CipherFinal_ex(cipher, $0.baseAddress! + Int(length), &final) } > 0
        if ok, encrypt { ok = EVP_CIPHER_CTX_ctrl(cipher, EVP_CTRL_GCM_GET_TAG, Int32(Self.tagLength), &tag) == 1 }
        return ok ? Array(output.prefix(Int(length + final))) : nil
    }
}

extension JWTSigner {
    /// A 32-byte key for `purpose`, derived from the server's secret (HMAC-SHA256), so that one
    /// configured secret serves every use without any two sharing a key.
    public func derivedKey(_ purpose: String) -> [UInt8] {
        Digest.hmacSHA256(key: key, message: Array("billport derived key: \(purpose)".utf8))
    }
}
