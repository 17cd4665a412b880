/// An incremental HTTP/1.1 request parser over bytes, with no I/O: append what the socket
/// gave, then call `next()` until it returns nil. Framing follows RFC 9112 strictly, so that
/// it never reads a message boundary differently from a proxy in front of it.
///
/// After an error the parser stays failed: the caller answers `error.status` and closes.
public struct HTTPRequestParser: Sendable {
    /// What `next()` produced.
    public enum Event: Sendable {
        /// The head of a request with a body has been read; the caller may answer
        /// `100 Continue` now (RFC 9110 §10.1.1). Not sent for bodiless requests.
        case headComplete(expectsContinue: Bool)
        /// A complete request, body included.
        case request(HTTPRequest)
    }

    /// Where the parser stands in the current message, for read timeouts.
    public enum Phase: Sendable, Equatable {
        /// Between messages, with no byte of the next one buffered. Empty lines before a
        /// request-line (RFC 9112 §2.2) are not part of any message, so they leave it idle.
        case idle
        /// Some of a request-line or header section has arrived.
        case head
        /// The head is complete and the body (or trailers) is still arriving.
        case body
    }

    enum State: Sendable, Equatable {
        case requestLine
        case headers
        case fixedBody(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkEnd
        case trailers
        case failed(HTTPParserError)
    }

    /// The limits in force.
    public let limits: HTTPParserLimits

    private var buffer: [UInt8] = []
    private var readIndex = 0
    private var scanIndex = 0
    var state: State = .requestLine
    var leadingEmptyBytes = 0
    var head: PendingHead?
    var headerBytes = 0
    var body: [UInt8] = []

    /// Makes a parser waiting for a request-line.
    public init(limits: HTTPParserLimits = HTTPParserLimits()) {
        self.limits = limits
    }

    /// The bytes appended but not yet consumed, for read back-pressure.
    public var bufferedByteCount: Int { buffer.count - readIndex }

    /// Where the current message stands.
    public var phase: Phase {
        switch state {
        case .requestLine: readIndex < buffer.count ? .head : .idle
        case .headers: .head
        case .fixedBody, .chunkSize, .chunkData, .chunkEnd, .trailers: .body
        case .failed: .idle
        }
    }

    /// Adds bytes received from the peer; nothing is parsed until `next()`.
    public mutating func append<Bytes: Collection<UInt8>>(_ bytes: Bytes) {
        if readIndex > 0 && (readIndex == buffer.count || (readIndex >= 4096 && readIndex * 2 >= buffer.count)) {
            buffer.removeSubrange(0..<readIndex)
            scanIndex -= readIndex
            readIndex = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// Parses as far as the buffered bytes allow: an event, nil when more bytes are needed,
    /// or the error that ends the connection.
    public mutating func next() throws(HTTPParserError) -> Event? {
        if case .failed(let error) = state { throw error }
        do throws(HTTPParserError) {
            return try step()
        } catch {
            state = .failed(error)
            head = nil
            body = []
            throw error
        }
    }

    /// Appends bytes and returns every request they complete, ignoring head events.
    public mutating func feed<Bytes: Collection<UInt8>>(_ bytes: Bytes) throws(HTTPParserError) -> [HTTPRequest] {
        append(bytes)
        var requests: [HTTPRequest] = []
        while let event = try next() {
            if case .request(let request) = event { requests.append(request) }
        }
        return requests
    }

    /// Moves up to `wanted` buffered bytes into the body; returns how many are still to come.
    private mutating func takeBody(upTo wanted: Int) -> Int {
        let available = min(wanted, buffer.count - readIndex)
        if available > 0 {
            body.append(contentsOf: buffer[readIndex..<(readIndex + available)])
            readIndex += available
            scanIndex = readIndex
        }
        return wanted - available
    }

    private mutating func step() throws(HTTPParserError) -> Event? {
        while true {
            switch state {
            case .failed(let error):
                throw error
            case .requestLine:
                let budget = limits.maxRequestLineBytes - leadingEmptyBytes
                guard let line = try nextLine(maxContent: max(0, budget), tooLong: .requestLineTooLong) else {
                    return nil
                }
                if line.isEmpty {
                    // RFC 9112 §2.2: ignore empty lines before a request-line, within the budget.
                    leadingEmptyBytes += 2
                    if leadingEmptyBytes > limits.maxRequestLineBytes { throw .requestLineTooLong }
                    continue
                }
                head = try withLine(line) { bytes throws(HTTPParserError) in try Self.parseRequestLine(bytes) }
                state = .headers
            case .headers:
                let remaining = limits.maxHeaderBytes - headerBytes
                guard let line = try nextLine(maxContent: max(0, remaining - 2), tooLong: .headersTooLarge) else {
                    return nil
                }
                if line.isEmpty { return try finishHead() }
                let field = try withLine(line) { bytes throws(HTTPParserError) in try Self.parseField(bytes) }
                headerBytes += line.count + 2
                if head!.headers.count >= limits.maxHeaderCount { throw .tooManyHeaders }
                head!.headers.add(field.name, field.value)
            case .fixedBody(let remaining):
                let left = takeBody(upTo: remaining)
                if left > 0 {
                    state = .fixedBody(remaining: left)
                    return nil
                }
                return .request(completeRequest())
            case .chunkSize:
                guard let line = try nextLine(maxContent: limits.maxChunkLineBytes, tooLong: .invalidChunk) else {
                    return nil
                }
                let size = try withLine(line) { bytes throws(HTTPParserError) in try Self.parseChunkSize(bytes) }
                if size == 0 {
                    state = .trailers
                } else {
                    if size > limits.maxBodyBytes - body.count { throw .bodyTooLarge }
                    state = .chunkData(remaining: size)
                }
            case .chunkData(let remaining):
                let left = takeBody(upTo: remaining)
                if left > 0 {
                    state = .chunkData(remaining: left)
                    return nil
                }
                state = .chunkEnd
            case .chunkEnd:
                // RFC 9112 §7.1: chunk-data is followed by exactly CRLF.
                guard buffer.count - readIndex >= 2 else {
                    if readIndex < buffer.count && buffer[readIndex] != HTTPSyntax.cr { throw .invalidChunk }
                    return nil
                }
                guard buffer[readIndex] == HTTPSyntax.cr, buffer[readIndex + 1] == HTTPSyntax.lf else {
                    throw .invalidChunk
                }
                readIndex += 2
                scanIndex = readIndex
                state = .chunkSize
            case .trailers:
                // RFC 9112 §7.1.2: trailer fields are read, bounded, checked and discarded.
                let remaining = limits.maxHeaderBytes - headerBytes
                guard let line = try nextLine(maxContent: max(0, remaining - 2), tooLong: .headersTooLarge) else {
                    return nil
                }
                if line.isEmpty { return .request(completeRequest()) }
                _ = try withLine(line) { bytes throws(HTTPParserError) in try Self.parseField(bytes) }
                headerBytes += line.count + 2
                head!.trailerCount += 1
                if head!.headers.count + head!.trailerCount > limits.maxHeaderCount { throw .tooManyHeaders }
            }
        }
    }

    /// Takes the finished message and resets for the next one.
    private mutating func completeRequest() -> HTTPRequest {
        let finished = head!
        let request = finished.makeRequest(body: body)
        head = nil
        body = []
        headerBytes = 0
        leadingEmptyBytes = 0
        state = .requestLine
        return request
    }

    /// Starts the body of the current message: `length` bytes, or chunked when nil.
    mutating func beginBody(length: Int?) {
        if let length {
            body.reserveCapacity(min(length, 64 * 1024))
            state = .fixedBody(remaining: length)
        } else {
            state = .chunkSize
        }
    }

    /// Finishes the current message with an empty body.
    mutating func completeWithoutBody() -> HTTPRequest {
        completeRequest()
    }

    private enum LineScan {
        case line(end: Int)
        case needMore(scanned: Int)
        case bareCR
        case bareLF
    }

    /// Consumes the next CRLF-terminated line and returns its content range, or nil when the
    /// line is incomplete. Fails as soon as the content exceeds `maxContent`, so a peer can
    /// never make the parser buffer an unbounded line.
    private mutating func nextLine(maxContent: Int, tooLong: HTTPParserError) throws(HTTPParserError) -> Range<Int>? {
        let start = readIndex
        let from = scanIndex
        let scan: LineScan = buffer.withUnsafeBufferPointer { bytes in
            var index = from
            while index < bytes.count {
                let byte = bytes[index]
                if byte == HTTPSyntax.lf { return .bareLF }
                if byte == HTTPSyntax.cr {
                    if index + 1 == bytes.count { return .needMore(scanned: index) }
                    return bytes[index + 1] == HTTPSyntax.lf ? .line(end: index) : .bareCR
                }
                index += 1
            }
            return .needMore(scanned: index)
        }
        switch scan {
        case .line(let end):
            if end - start > maxContent { throw tooLong }
            readIndex = end + 2
            scanIndex = readIndex
            return start..<end
        case .needMore(let scanned):
            if scanned - start > maxContent { throw tooLong }
            scanIndex = scanned
            return nil
        case .bareCR:
            throw .bareCarriageReturn
        case .bareLF:
            throw .bareLineFeed
        }
    }

    private func withLine<T>(
        _ range: Range<Int>,
        _ body: (UnsafeBufferPointer<UInt8>) throws(HTTPParserError) -> T
    ) throws(HTTPParserError) -> T {
        let result: Result<T, HTTPParserError> = buffer.withUnsafeBufferPointer { bytes in
            let line = UnsafeBufferPointer(rebasing: bytes[range])
            do throws(HTTPParserError) { return .success(try body(line)) } catch { return .failure(error) }
        }
        return try result.get()
    }
}
