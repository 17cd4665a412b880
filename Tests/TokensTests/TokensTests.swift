import Foundation
import Testing
import Tokens

@Suite struct DigestTests {
    @Test func sha256MatchesTheKnownVector() {
        #expect(Digest.sha256("abc").hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func hmacMatchesRFC4231TestCase2() {
        let mac = Digest.hmacSHA256(key: Array("Jefe".utf8) , message: Array("what do ya want for nothing?".utf8))
        #expect(mac.hex == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test func constantTimeEqualComparesContentAndLength() {
        #expect(Digest.constantTimeEqual([1, 2, 3], [1, 2, 3]))
        #expect(!Digest.constantTimeEqual([1, 2, 3], [1, 2, 4]))
        #expect(!Digest.constantTimeEqual([1, 2, 3], [1, 2]))
    }
}

@Suite struct SecretTokenTests {
    @Test func tokensAre43CharactersOfBase64URLAndDiffer() {
        let tokens = (0..<100).map { _ in SecretToken.generate() }
        #expect(Set(tokens.map(\.raw)).count == 100)
        for token in tokens {
            #expect(token.raw.count == 43)
            #expect(Base64URL.decode(token.raw)?.count == 32)
            #expect(SecretToken.hash(ofPresented: token.raw) == token.hash)
        }
    }

    @Test func malformedPresentedTokensHaveNoHash() {
        #expect(SecretToken.hash(ofPresented: "short") == nil)
        #expect(SecretToken.hash(ofPresented: String(repeating: "a", count: 42) + "!") == nil)
        #expect(SecretToken.hash(ofPresented: String(repeating: "a", count: 44)) == nil)
    }
}

@Suite struct JWTTests {
    let signer = JWTSigner(key: Array(repeating: 7, count: 32))
    let now = Date(timeIntervalSince1970: 1_795_341_600)

    func claims(exp: Int64 = 1_795_345_200, nbf: Int64? = nil) -> APIClaims {
        APIClaims(tenant: "acme", perms: ["invoices:manage"], exp: exp, nbf: nbf)
    }

    @Test func aSignedTokenVerifiesToItsClaims() throws {
        #expect(try signer.verify(signer.sign(claims()), now: now) == claims())
    }

    @Test func refusesExpiredNotYetValidAndForeignSignatures() {
        #expect(throws: JWTError.expired) { try signer.verify(signer.sign(claims(exp: 1_795_341_500)), now: now) }
        #expect(throws: JWTError.notYetValid) { try signer.verify(signer.sign(claims(nbf: 1_795_342_000)), now: now) }
        let other = JWTSigner(key: Array(repeating: 8, count: 32))
        #expect(throws: JWTError.badSignature) { try signer.verify(other.sign(claims()), now: now) }
    }

    @Test func aVerificationMayNarrowTheLeewayForShortLivedTokens() throws {
        // Expired 10 s ago: inside the default 30 s leeway, outside a media token's 5 s.
        let recent = signer.sign(claims(exp: 1_795_341_590))
        #expect(try signer.verify(recent, now: now).tenant == "acme")
        #expect(throws: JWTError.expired) { try signer.verify(recent, now: now, leeway: 5) }
        #expect(try signer.verify(signer.sign(claims(exp: 1_795_341_596)), now: now, leeway: 5).tenant == "acme")
        #expect(throws: JWTError.notYetValid) { try signer.verify(signer.sign(claims(nbf: 1_795_341_610)), now: now, leeway: 5) }
    }

    @Test func refusesAlgNoneAndOtherAlgorithms() {
        let token = signer.sign(claims())
        let parts = token.split(separator: ".")
        for alg in ["none", "HS512", "RS256"] {
            let header = Base64URL.encode(Array(#"{"alg":"\#(alg)","typ":"JWT"}"#.utf8))
            #expect(throws: JWTError.unsupportedAlgorithm(alg)) { try signer.verify("\(header).\(parts[1]).\(parts[2])", now: now) }
        }
        #expect(throws: JWTError.badSignature) { try signer.verify("\(parts[0]).\(parts[1]).", now: now) }
    }

    @Test func refusesATamperedPayload() {
        let parts = signer.sign(claims()).split(separator: ".")
        let forged = Base64URL.encode(Array(#"{"exp":1795345200,"perms":["invoices:manage"],"tenant":"evil"}"#.utf8))
        #expect(throws: JWTError.badSignature) { try signer.verify("\(parts[0]).\(forged).\(parts[2])", now: now) }
        #expect(throws: JWTError.malformed) { try signer.verify("a.b", now: now) }
        #expect(throws: JWTError.malformed) { try signer.verify("!!.??.**", now: now) }
    }
}

/// Sealed answers open only with their key and context, and reveal nothing of the plaintext.
@Suite struct SealingKeyTests {
    @Test func aSealedValueOpensWithItsKeyAndContextOnly() {
        let key = SealingKey(key: JWTSigner(key: Array(repeating: 9, count: 32)).derivedKey("test"))
        let other = SealingKey(key: JWTSigner(key: Array(repeating: 8, count: 32)).derivedKey("test"))
        let secret = Array(#"{"shareToken":"tok_abcdefghijklmnopqrstuvwxyz0123456789"}"#.utf8)
        let sealed = key.seal(secret, context: Array("1|POST /x|k".utf8))
        #expect(key.open(sealed, context: Array("1|POST /x|k".utf8)) == secret)
        #expect(key.open(sealed, context: Array("2|POST /x|k".utf8)) == nil)
        #expect(other.open(sealed, context: Array("1|POST /x|k".utf8)) == nil)
        var changed = sealed
        changed[14] ^= 1
        #expect(key.open(changed, context: Array("1|POST /x|k".utf8)) == nil)
        #expect(sealed.count == secret.count + 28 && !String(decoding: sealed, as: UTF8.self).contains("tok_"))
        #expect(key.seal(secret, context: []) != key.seal(secret, context: []))
        #expect(key.open(key.seal([], context: []), context: []) == [])
        #expect(JWTSigner(key: Array(repeating: 9, count: 32)).derivedKey("a") != JWTSigner(key: Array(repeating: 9, count: 32)).derivedKey("b"))
    }
}
