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
    public func seal(_ plaintext: [UInt8], context aad: [UInt8]) -> [UInt8] {
        let nonce = SecureRandom.bytes(Self.nonceLength)
        guard let cipher = EVP_CIPHER_CTX_new() else { preconditionFailure("EVP_CIPHER_CTX_new failed") }
        defer { EVP_CIPHER_CTX_free(cipher) }
        var ciphertext = [UInt8](repeating: 0, count: plaintext.count + 16)
        var tag = [UInt8](repeating: 0, count: Self.tagLength)
        var length: Int32 = 0, final: Int32 = 0
        var ok = EVP_EncryptInit_ex(cipher, EVP_aes_256_gcm(), nil, nil, nil) == 1
            && EVP_CIPHER_CTX_ctrl(cipher, EVP_CTRL_GCM_SET_IVLEN, Int32(Self.nonceLength), nil) == 1
            && EVP_EncryptInit_ex(cipher, nil, nil, key, nonce) == 1
        if ok, !aad.isEmpty { ok = EVP_EncryptUpdate(cipher, nil, &length, aad, Int32(aad.count)) == 1 }
        length = 0
        if ok, !plaintext.isEmpty { ok = EVP_EncryptUpdate(cipher, &ciphertext, &length, plaintext, Int32(plaintext.count)) == 1 }
        ok = ok && ciphertext.withUnsafeMutableBufferPointer { EVP_EncryptFinal_ex(cipher, $0.baseAddress! + Int(length), &final) } == 1
            && EVP_CIPHER_CTX_ctrl(cipher, EVP_CTRL_GCM_GET_TAG, Int32(Self.tagLength), &tag) == 1
        precondition(ok, "AES-256-GCM sealing failed")
        return nonce + ciphertext.prefix(Int(length + final)) + tag
    }

    /// The plaintext, or nil when `sealed` was not sealed with this key and `context` (or was changed).
    public func open(_ sealed: [UInt8], context aad: [UInt8]) -> [UInt8]? {
        guard sealed.count >= Self.nonceLength + Self.tagLength, let cipher = EVP_CIPHER_CTX_new() else { return nil }
        defer { EVP_CIPHER_CTX_free(cipher) }
        let nonce = Array(sealed.prefix(Self.nonceLength))
        var tag = Array(sealed.suffix(Self.tagLength))
        let ciphertext = Array(sealed.dropFirst(Self.nonceLength).dropLast(Self.tagLength))
        var plaintext = [UInt8](repeating: 0, count: ciphertext.count + 16)
        var length: Int32 = 0, final: Int32 = 0
        var ok = EVP_DecryptInit_ex(cipher, EVP_aes_256_gcm(), nil, nil, nil) == 1
            && EVP_CIPHER_CTX_ctrl(cipher, EVP_CTRL_GCM_SET_IVLEN, Int32(Self.nonceLength), nil) == 1
            && EVP_DecryptInit_ex(cipher, nil, nil, key, nonce) == 1
        if ok, !aad.isEmpty { ok = EVP_DecryptUpdate(cipher, nil, &length, aad, Int32(aad.count)) == 1 }
        length = 0
        if ok, !ciphertext.isEmpty { ok = EVP_DecryptUpdate(cipher, &plaintext, &length, ciphertext, Int32(ciphertext.count)) == 1 }
        ok = ok && EVP_CIPHER_CTX_ctrl(cipher, EVP_CTRL_GCM_SET_TAG, Int32(Self.tagLength), &tag) == 1
            && plaintext.withUnsafeMutableBufferPointer { EVP_DecryptFinal_ex(cipher, $0.baseAddress! + Int(length), &final) } > 0
        return ok ? Array(plaintext.prefix(Int(length + final))) : nil
    }
}

extension JWTSigner {
    /// A 32-byte key for `purpose`, derived from the server's secret (HMAC-SHA256), so that one
    /// configured secret serves every use without any two sharing a key.
    public func derivedKey(_ purpose: String) -> [UInt8] {
        Digest.hmacSHA256(key: key, message: Array("billport derived key: \(purpose)".utf8))
    }
}
