// libFuzzer entry point for `HTTPRequestParser`. Built by Fuzz/run.sh together with the pure
// parser sources of Sources/HTTPServer (no sockets, no Foundation) into one module, so the
// checks below can also look at the parser's internal state.
//
// Every input is parsed twice, in one piece and split at a point derived from its bytes, and
// both runs must agree. Any broken invariant calls `fatalError`, which libFuzzer reports as a
// crash and saves the input for.

/// Small limits, so that every limit is reachable by inputs of a few hundred bytes.
let fuzzLimits = HTTPParserLimits(maxRequestLineBytes: 64, maxHeaderBytes: 256, maxHeaderCount: 8,
                                  maxBodyBytes: 256, maxChunkLineBytes: 32)

/// The fewest bytes one request can take: `GET / HTTP/1.0` CRLF CRLF.
let smallestRequestBytes = 18

/// Called by libFuzzer once per input; always returns 0 (a broken invariant traps instead).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = size > 0 ? Array(UnsafeBufferPointer(start: data, count: size)) : []
    let whole = parse([bytes[...]])
    let split = splitPoint(bytes)
    let pieces = parse([bytes[..<split], bytes[split...]])

    require(whole.requests == pieces.requests, "requests differ when split at \(split)")
    require(whole.heads == pieces.heads, "head events differ when split at \(split)")
    // An error may be found earlier, and be a different one, when a prefix alone is already
    // invalid (say, too long before the bare LF that ends it arrives), but never only one way.
    require((whole.error == nil) == (pieces.error == nil),
            "one run failed and the other did not: \(String(describing: whole.error)) vs \(String(describing: pieces.error))")
    if whole.error == nil {
        require(whole.phase == pieces.phase, "phase differs when split at \(split)")
        require(whole.buffered == pieces.buffered, "buffered bytes differ when split at \(split)")
    }
    require(whole.requests.count * smallestRequestBytes <= bytes.count, "more requests than bytes allow")
    return 0
}

/// What one parse run produced.
struct Outcome {
    var requests: [Seen] = []
    var heads: [Bool] = []
    var error: HTTPParserError?
    var phase: HTTPRequestParser.Phase = .idle
    var buffered = 0
}

/// The wire-visible parts of a request, for comparing runs.
struct Seen: Equatable {
    var method: HTTPMethod
    var target: String
    var path: String
    var query: String?
    var version: HTTPVersion
    var headers: HTTPHeaders
    var body: [UInt8]
    var keepAlive: Bool

    init(_ request: HTTPRequest) {
        method = request.method
        target = request.target
        path = request.path
        query = request.query
        version = request.version
        headers = request.headers
        body = request.body
        keepAlive = request.keepAlive
    }
}

/// Feeds `pieces` one after the other, draining events after each, and checks every event.
func parse(_ pieces: [ArraySlice<UInt8>]) -> Outcome {
    var parser = HTTPRequestParser(limits: fuzzLimits)
    var outcome = Outcome()
    feeding: for piece in pieces {
        parser.append(piece)
        while true {
            let event: HTTPRequestParser.Event?
            do {
                event = try parser.next()
            } catch {
                outcome.error = error
                break feeding
            }
            require(parser.body.count <= fuzzLimits.maxBodyBytes, "body buffer over the limit")
            guard let event else { break }
            switch event {
            case .headComplete(let expectsContinue):
                require(parser.phase == .body, "head event outside the body phase")
                outcome.heads.append(expectsContinue)
            case .request(let request):
                check(request)
                outcome.requests.append(Seen(request))
            }
        }
        checkBounded(parser)
    }
    if let error = outcome.error {
        checkStaysFailed(&parser, error)
    }
    outcome.phase = parser.phase
    outcome.buffered = parser.bufferedByteCount
    return outcome
}

/// A derived split point in 0...count, so that mutations move it.
func splitPoint(_ bytes: [UInt8]) -> Int {
    var sum = 0
    for byte in bytes { sum &+= Int(byte) }
    return bytes.isEmpty ? 0 : sum % (bytes.count + 1)
}

/// Waiting for more input, the parser holds no more than one line's worth of unread bytes.
func checkBounded(_ parser: HTTPRequestParser) {
    let longestLine = max(fuzzLimits.maxRequestLineBytes, fuzzLimits.maxHeaderBytes, fuzzLimits.maxChunkLineBytes)
    require(parser.bufferedByteCount <= longestLine + 1,
            "\(parser.bufferedByteCount) bytes buffered while waiting in \(parser.state)")
    if parser.phase == .idle { require(parser.bufferedByteCount == 0, "idle with bytes buffered") }
}

/// After an error the parser stays failed: the same error again, whatever arrives, and no
/// further request.
func checkStaysFailed(_ parser: inout HTTPRequestParser, _ error: HTTPParserError) {
    require((400...599).contains(error.status), "error \(error) without a 4xx/5xx status")
    require(parser.phase == .idle, "failed parser not idle")
    for _ in 0..<2 {
        do {
            let requests = try parser.feed(Array("GET / HTTP/1.1\r\nHost: a\r\n\r\n".utf8))
            require(false, "a failed parser produced \(requests.count) request(s)")
        } catch let again {
            require(again == error, "failed with \(error), then with \(again)")
        }
    }
}

/// Checks one parsed request against the rules the parser promises to enforce.
func check(_ request: HTTPRequest) {
    let limits = fuzzLimits
    require(request.version.major == 1 && (0...9).contains(request.version.minor), "version \(request.version)")

    let target = Array(request.target.utf8)
    require(!target.isEmpty && target.count <= limits.maxRequestLineBytes, "target length \(target.count)")
    require(target.allSatisfy { $0 >= 0x21 && $0 <= 0x7E && $0 != UInt8(ascii: "#") }, "target bytes")
    if request.path == "*" {
        require(request.method == .options && request.target == "*", "asterisk-form outside OPTIONS")
    } else {
        require(request.path.utf8.first == UInt8(ascii: "/"), "path \(request.path) without a slash")
    }
    require(request.query == nil || request.target.utf8.contains(UInt8(ascii: "?")), "query without ?")

    let headers = request.headers
    require(headers.count <= limits.maxHeaderCount, "\(headers.count) headers")
    var headerBytes = 0
    for field in headers {
        require(HTTPSyntax.isToken(field.name), "field name \(field.name.debugDescription)")
        let value = Array(field.value.unicodeScalars)
        require(!value.contains { $0 == "\r" || $0 == "\n" || $0 == "\0" }, "control in \(field.name)")
        require(value.first != " " && value.first != "\t" && value.last != " " && value.last != "\t",
                "untrimmed value of \(field.name)")
        headerBytes += field.name.utf8.count + 1 + value.count + 2
    }
    require(headerBytes <= limits.maxHeaderBytes, "header section of \(headerBytes) bytes")
    if request.version.minor >= 1 {
        require(headers.values(for: "Host").count == 1, "HTTP/1.1 without exactly one Host")
    }

    require(request.body.count <= limits.maxBodyBytes, "body \(request.body.count) over the limit")
    let lengths = headers.values(for: "Content-Length")
    let chunked = headers.contains("Transfer-Encoding")
    if chunked {
        require(lengths.isEmpty && request.version.minor >= 1, "Transfer-Encoding framing accepted wrongly")
        require(tokens(headers.values(for: "Transfer-Encoding")) == ["chunked"], "coding other than chunked")
    } else if let length = lengths.first {
        require(lengths.count == 1 && Int(length) == request.body.count, "body does not match Content-Length")
    } else {
        require(request.body.isEmpty, "body without framing")
        if request.version.minor >= 1 {
            require(!tokens(headers.values(for: "Expect")).contains("100-continue"), "100-continue without a length")
        }
    }

    let connection = tokens(headers.values(for: "Connection"))
    let keepAlive = request.version.minor >= 1
        ? !connection.contains("close")
        : connection.contains("keep-alive") && !connection.contains("close")
    require(request.keepAlive == keepAlive, "keepAlive \(request.keepAlive) for Connection \(connection)")
}

/// Comma-separated list elements, split and trimmed byte by byte and ASCII-lowercased: an
/// independent reading of RFC 9110 §5.6.1 to check the parser's own against.
func tokens(_ values: [String]) -> [String] {
    var result: [String] = []
    for value in values {
        for element in Array(value.utf8).split(separator: UInt8(ascii: ","), omittingEmptySubsequences: true) {
            var slice = element[...]
            while let first = slice.first, first == 0x20 || first == 0x09 { slice.removeFirst() }
            while let last = slice.last, last == 0x20 || last == 0x09 { slice.removeLast() }
            if !slice.isEmpty { result.append(String(decoding: slice.map(HTTPSyntax.lowercased), as: UTF8.self)) }
        }
    }
    return result
}

/// Traps with `message` when `condition` fails; unlike `assert`, it stays in `-O` builds.
func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError("HTTP parser fuzz invariant broken: \(message())") }
}
