import BillportCore

/// Collects one response from curl's header and write callbacks, enforcing the size limit.
///
/// Lives only for one `curl_easy_perform` on the client's queue; curl reaches it through the
/// opaque `WRITEDATA`/`HEADERDATA` pointer.
final class ResponseAccumulator {
    private let limit: Int
    private(set) var headers = HTTPHeaders()
    private(set) var body: [UInt8] = []
    /// Set when the body went over `limit`: the write callback then fails the transfer.
    private(set) var exceededLimit = false

    init(limit: Int) {
        self.limit = limit
    }

    /// Takes a chunk of body; returns how much was taken (less than `count` aborts the
    /// transfer with `CURLE_WRITE_ERROR`, curl's documented way to stop it).
    func appendBody(_ bytes: UnsafeRawBufferPointer) -> Int {
        guard body.count + bytes.count <= limit else {
            // Keeps what fits (a truncating client returns it), then stops the transfer.
            body.append(contentsOf: bytes.prefix(limit - body.count))
            exceededLimit = true
            return 0
        }
        body.append(contentsOf: bytes)
        return bytes.count
    }

    /// Takes one header line as curl delivers it (with its CRLF). A status line starts a new
    /// header block, so only the final response's fields are kept (after a `100 Continue` or
    /// a proxy's `CONNECT` answer).
    func appendHeaderLine(_ bytes: UnsafeRawBufferPointer) {
        var line = Substring(String(decoding: bytes, as: UTF8.self))
        while let last = line.last, last.isNewline { line = line.dropLast() }  // "\r\n" is one Character
        if line.hasPrefix("HTTP/") {
            headers = HTTPHeaders()
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = line[..<colon].trimmingCharacters(in: " \t")
        let value = line[line.index(after: colon)...].trimmingCharacters(in: " \t")
        guard !name.isEmpty else { return }
        headers.add(name, value)
    }
}

extension Substring {
    /// Drops leading and trailing characters in `set` (no Foundation needed).
    func trimmingCharacters(in set: String) -> String {
        var slice = self
        while let first = slice.first, set.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, set.contains(last) { slice = slice.dropLast() }
        return String(slice)
    }
}
