import BillportCore

// MARK: - Request-line, field lines, chunk-size lines and framing decisions

/// A request head under construction.
struct PendingHead: Sendable, Equatable {
    var method: HTTPMethod
    var target: String
    var path: String
    var query: String?
    var version: HTTPVersion
    var headers = HTTPHeaders()
    var keepAlive = true
    var trailerCount = 0

    func makeRequest(body: [UInt8]) -> HTTPRequest {
        var request = HTTPRequest(method: method, path: path, headers: headers, body: body,
                                  version: version, keepAlive: keepAlive)
        request.target = target
        request.query = query
        request.queryItems = query.map(HTTPSyntax.parseQuery) ?? []
        return request
    }
}

extension HTTPRequestParser {
    /// Parses `method SP request-target SP HTTP-version` (RFC 9112 §3), single spaces only.
    /// The version is checked first, since it decides how the rest is read.
    static func parseRequestLine(_ line: UnsafeBufferPointer<UInt8>) throws(HTTPParserError) -> PendingHead {
        guard let firstSpace = line.firstIndex(of: HTTPSyntax.space),
              let secondSpace = line[(firstSpace + 1)...].firstIndex(of: HTTPSyntax.space) else {
            throw .malformedRequestLine
        }
        let methodBytes = UnsafeBufferPointer(rebasing: line[0..<firstSpace])
        let targetBytes = UnsafeBufferPointer(rebasing: line[(firstSpace + 1)..<secondSpace])
        let versionBytes = UnsafeBufferPointer(rebasing: line[(secondSpace + 1)...])
        guard !methodBytes.isEmpty, !targetBytes.isEmpty, methodBytes.allSatisfy(HTTPSyntax.isTokenByte) else {
            throw .malformedRequestLine
        }
        let version = try parseVersion(versionBytes)
        guard let method = HTTPMethod(bytes: methodBytes) else { throw .unsupportedMethod }
        let (path, query) = try parseTarget(targetBytes, method: method)
        return PendingHead(method: method, target: String(decoding: targetBytes, as: UTF8.self),
                           path: path, query: query, version: version,
                           keepAlive: version.minor >= 1)
    }

    /// `HTTP/` DIGIT `.` DIGIT, case-sensitive (RFC 9112 §2.3). HTTP/1.x with x > 1 is read
    /// as HTTP/1.1, as RFC 9110 §6.2 asks; any other major version is refused with 505.
    static func parseVersion(_ bytes: UnsafeBufferPointer<UInt8>) throws(HTTPParserError) -> HTTPVersion {
        guard bytes.count == 8,
              bytes[0] == UInt8(ascii: "H"), bytes[1] == UInt8(ascii: "T"), bytes[2] == UInt8(ascii: "T"),
              bytes[3] == UInt8(ascii: "P"), bytes[4] == UInt8(ascii: "/"), bytes[6] == UInt8(ascii: "."),
              (0x30...0x39).contains(bytes[5]), (0x30...0x39).contains(bytes[7]) else {
            throw .malformedVersion
        }
        let major = Int(bytes[5] - 0x30)
        let minor = Int(bytes[7] - 0x30)
        guard major == 1 else { throw .unsupportedVersion }
        return HTTPVersion(major: 1, minor: minor)
    }

    /// Splits a request-target into raw path and raw query (RFC 9112 §3.2): origin-form,
    /// absolute-form (which a server MUST accept) or `*` for OPTIONS. Only visible ASCII is
    /// allowed and a fragment is never part of a request-target.
    static func parseTarget(_ bytes: UnsafeBufferPointer<UInt8>, method: HTTPMethod) throws(HTTPParserError) -> (String, String?) {
        for byte in bytes where byte < 0x21 || byte > 0x7E || byte == UInt8(ascii: "#") {
            throw .invalidRequestTarget
        }
        if bytes.count == 1 && bytes[0] == UInt8(ascii: "*") {
            guard method == .options else { throw .invalidRequestTarget }
            return ("*", nil)
        }
        var pathStart = 0
        if bytes[0] != UInt8(ascii: "/") {
            // absolute-form: scheme "://" authority [path-abempty] ["?" query]
            let text = String(decoding: bytes, as: UTF8.self).lowercasedASCII()
            let schemeLength: Int
            if text.hasPrefix("http://") { schemeLength = 7 }
            else if text.hasPrefix("https://") { schemeLength = 8 }
            else { throw .invalidRequestTarget }
            var index = schemeLength
            while index < bytes.count, bytes[index] != UInt8(ascii: "/"), bytes[index] != UInt8(ascii: "?") {
                index += 1
            }
            guard index > schemeLength else { throw .invalidRequestTarget }
            pathStart = index
        }
        let rest = UnsafeBufferPointer(rebasing: bytes[pathStart...])
        let questionMark = rest.firstIndex(of: UInt8(ascii: "?"))
        let pathBytes = UnsafeBufferPointer(rebasing: rest[rest.startIndex..<(questionMark ?? rest.endIndex)])
        let path = pathBytes.isEmpty ? "/" : String(decoding: pathBytes, as: UTF8.self)
        let query = questionMark.map { String(decoding: UnsafeBufferPointer(rebasing: rest[($0 + 1)...]), as: UTF8.self) }
        return (path, query)
    }

    /// Parses `field-name ":" OWS field-value OWS` (RFC 9112 §5), refusing obs-fold,
    /// whitespace before the colon and control bytes in the value.
    static func parseField(_ line: UnsafeBufferPointer<UInt8>) throws(HTTPParserError) -> (name: String, value: String) {
        if line[0] == HTTPSyntax.space || line[0] == HTTPSyntax.tab { throw .obsoleteLineFolding }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > 0 else { throw .malformedHeader }
        if line[colon - 1] == HTTPSyntax.space || line[colon - 1] == HTTPSyntax.tab { throw .whitespaceBeforeColon }
        let nameBytes = UnsafeBufferPointer(rebasing: line[0..<colon])
        guard nameBytes.allSatisfy(HTTPSyntax.isTokenByte) else { throw .malformedHeader }
        var start = colon + 1
        var end = line.count
        while start < end, line[start] == HTTPSyntax.space || line[start] == HTTPSyntax.tab { start += 1 }
        while end > start, line[end - 1] == HTTPSyntax.space || line[end - 1] == HTTPSyntax.tab { end -= 1 }
        let valueBytes = UnsafeBufferPointer(rebasing: line[start..<end])
        guard valueBytes.allSatisfy(HTTPSyntax.isFieldValueByte) else { throw .malformedHeader }
        return (String(decoding: nameBytes, as: UTF8.self), HTTPSyntax.string(fromFieldBytes: valueBytes))
    }

    /// Parses `chunk-size [chunk-ext]` (RFC 9112 §7.1.1); extensions are checked, then ignored.
    static func parseChunkSize(_ line: UnsafeBufferPointer<UInt8>) throws(HTTPParserError) -> Int {
        var index = 0
        var size = 0
        while index < line.count, let digit = HTTPSyntax.hexValue(line[index]) {
            if size > (Int.max - digit) / 16 { throw .bodyTooLarge }
            size = size * 16 + digit
            index += 1
        }
        guard index > 0 else { throw .invalidChunk }
        // chunk-ext = *( BWS ";" BWS ext-name [ BWS "=" BWS ext-value ] )
        func skipWhitespace() {
            while index < line.count, line[index] == HTTPSyntax.space || line[index] == HTTPSyntax.tab { index += 1 }
        }
        func token() -> Bool {
            let start = index
            while index < line.count, HTTPSyntax.isTokenByte(line[index]) { index += 1 }
            return index > start
        }
        func quotedString() -> Bool {
            guard index < line.count, line[index] == UInt8(ascii: "\"") else { return false }
            index += 1
            while index < line.count {
                let byte = line[index]
                if byte == UInt8(ascii: "\"") { index += 1; return true }
                if byte == UInt8(ascii: "\\") { index += 1; guard index < line.count else { return false } }
                else if !HTTPSyntax.isFieldValueByte(byte) { return false }
                index += 1
            }
            return false
        }
        while true {
            skipWhitespace()
            if index == line.count { return size }
            guard line[index] == UInt8(ascii: ";") else { throw .invalidChunk }
            index += 1
            skipWhitespace()
            guard token() else { throw .invalidChunk }
            skipWhitespace()
            if index < line.count, line[index] == UInt8(ascii: "=") {
                index += 1
                skipWhitespace()
                guard token() || quotedString() else { throw .invalidChunk }
            }
        }
    }

    /// Decides the framing once the header section is complete (RFC 9112 §6.3) and either
    /// finishes a bodiless request or starts reading the body.
    mutating func finishHead() throws(HTTPParserError) -> Event {
        let pending = head!
        let headers = pending.headers
        let hosts = headers.values(for: "Host")
        if hosts.count > 1 || (hosts.count == 1 && !HTTPSyntax.isValidHost(hosts[0])) { throw .invalidHost }
        if hosts.isEmpty && pending.version.minor >= 1 { throw .missingHost }

        var bodyLength: Int? = 0
        let lengths = headers.values(for: "Content-Length")
        if headers.contains("Transfer-Encoding") {
            if !lengths.isEmpty { throw .contentLengthWithTransferEncoding }
            // RFC 9112 §6.1: HTTP/1.0 framing with Transfer-Encoding cannot be trusted.
            if pending.version.minor == 0 { throw .invalidTransferEncoding }
            let codings = headers.listTokens(for: "Transfer-Encoding")
            if codings.contains(where: { $0 != "chunked" }) { throw .unsupportedTransferCoding }
            guard codings.count == 1 else { throw .invalidTransferEncoding }
            bodyLength = nil
        } else if lengths.count > 1 {
            throw .duplicateContentLength
        } else if let text = lengths.first {
            guard !text.isEmpty, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else {
                throw .invalidContentLength
            }
            guard text.utf8.count <= 18, let length = Int(text), length <= limits.maxBodyBytes else {
                throw .bodyTooLarge
            }
            bodyLength = length
        }

        // RFC 9110 §10.1.1: only 100-continue is defined; it is ignored on HTTP/1.0.
        let expectations = headers.listTokens(for: "Expect")
        var expectsContinue = false
        if pending.version.minor >= 1 && !expectations.isEmpty {
            guard expectations.allSatisfy({ $0 == "100-continue" }) else { throw .expectationFailed }
            expectsContinue = true
        }
        // RFC 9110 §10.1.1: 100-continue announces content. Without Content-Length or chunked
        // (RFC 9112 §6.3 rule 6) that content has no framing: 411 (RFC 9110 §15.5.12). A
        // plain request with neither field still has an empty body, as `curl -X POST` sends.
        if expectsContinue && lengths.isEmpty && !headers.contains("Transfer-Encoding") { throw .lengthRequired }

        // RFC 9112 §9.3: persistence by version, overridden by the Connection field.
        let options = headers.listTokens(for: "Connection")
        if options.contains("close") {
            head!.keepAlive = false
        } else if pending.version.minor == 0 {
            head!.keepAlive = options.contains("keep-alive")
        }

        if bodyLength == 0 {
            return .request(completeWithoutBody())
        }
        beginBody(length: bodyLength)
        return .headComplete(expectsContinue: expectsContinue)
    }
}
