internal import CCurl

/// One libcurl easy handle, its error buffer and the lists it points at.
///
/// Not thread-safe: its owner confines it (a serial queue, a mutex). libcurl keeps the
/// connection of a handle in the handle's pool after a transfer, so the next transfer to the
/// same host reuses it (no new TCP, TLS or login) until the server closes it or it idles out.
public final class CurlHandle {
    private let handle: UnsafeMutableRawPointer
    /// curl writes its detailed message here during a transfer (CURLOPT_ERRORBUFFER).
    private let errorBuffer: UnsafeMutablePointer<CChar>
    /// The lists handed to curl, which reads them during a transfer; freed when replaced.
    private var lists: [CURLoption: UnsafeMutablePointer<curl_slist>] = [:]

    /// Makes a handle, initialising libcurl once per process first.
    public init() throws(CurlSetupError) {
        try CurlGlobal.ensureInitialized()
        guard let handle = curl_easy_init() else { throw .handleNotCreated }
        self.handle = handle
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        _ = bp_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer)
    }

    deinit {
        curl_easy_cleanup(handle)   // closes a kept connection (an SMTP one says QUIT)
        for list in lists.values { curl_slist_free_all(list) }
        errorBuffer.deallocate()
    }

    /// Clears every option of the previous transfer but keeps the connection cache.
    public func reset() {
        curl_easy_reset(handle)
        for list in lists.values { curl_slist_free_all(list) }
        lists = [:]
        _ = bp_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer)
    }

    /// Sets one option; throws the code curl refused it with.
    public func set(_ option: CurlOption) throws(CurlCode) {
        let code: CURLcode = switch option {
        case .url(let value): bp_curl_setopt_string(handle, CURLOPT_URL, value)
        case .noSignal(let on): bp_curl_setopt_long(handle, CURLOPT_NOSIGNAL, on ? 1 : 0)
        case .connectTimeoutMilliseconds(let value): bp_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, value)
        case .timeoutMilliseconds(let value): bp_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, value)
        case .followLocation(let on): bp_curl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, on ? 1 : 0)
        case .maxFileSize(let bytes): bp_curl_setopt_off(handle, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(bytes))
        case .acceptEncoding(let value): bp_curl_setopt_string(handle, CURLOPT_ACCEPT_ENCODING, value)
        case .userAgent(let value): bp_curl_setopt_string(handle, CURLOPT_USERAGENT, value)
        case .noBody(let on): bp_curl_setopt_long(handle, CURLOPT_NOBODY, on ? 1 : 0)
        case .httpGet: bp_curl_setopt_long(handle, CURLOPT_HTTPGET, 1)
        case .postFieldSize(let bytes): bp_curl_setopt_off(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(bytes))
        case .copyPostFields(let body):
            // COPYPOSTFIELDS needs a valid pointer even for zero bytes.
            (body.isEmpty ? [0] : body).withUnsafeBytes { buffer in
                bp_curl_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: buffer.baseAddress))
            }
        case .customRequest(let method): bp_curl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, method)
        case .httpHeaders(let lines): try setList(lines, for: CURLOPT_HTTPHEADER)
        case .upload(let on): bp_curl_setopt_long(handle, CURLOPT_UPLOAD, on ? 1 : 0)
        case .uploadSize(let bytes): bp_curl_setopt_off(handle, CURLOPT_INFILESIZE_LARGE, curl_off_t(bytes))
        case .useTLS(let use): bp_curl_setopt_long(handle, CURLOPT_USE_SSL, use.curlValue)
        case .username(let value): bp_curl_setopt_string(handle, CURLOPT_USERNAME, value)
        case .password(let value): bp_curl_setopt_string(handle, CURLOPT_PASSWORD, value)
        case .caFile(let path): bp_curl_setopt_string(handle, CURLOPT_CAINFO, path)
        case .verifyPeer(let on): bp_curl_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, on ? 1 : 0)
        case .verifyHost(let on): bp_curl_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, on ? 2 : 0)
        case .mailFrom(let address): bp_curl_setopt_string(handle, CURLOPT_MAIL_FROM, address)
        case .mailRecipients(let addresses): try setList(addresses, for: CURLOPT_MAIL_RCPT)
        case .freshConnect(let on): bp_curl_setopt_long(handle, CURLOPT_FRESH_CONNECT, on ? 1 : 0)
        case .resolve(let entries): try setList(entries, for: CURLOPT_RESOLVE)
        }
        guard code == CURLE_OK else { throw CurlCode(code) }
    }

    /// Builds a curl list from `items` (none: no list) and hands it over; the list it replaces
    /// is freed only once curl no longer points at it.
    private func setList(_ items: [String], for option: CURLoption) throws(CurlCode) -> CURLcode {
        var list: UnsafeMutablePointer<curl_slist>?
        for item in items {
            guard let appended = curl_slist_append(list, item) else {
                curl_slist_free_all(list)
                throw CurlCode(CURLE_OUT_OF_MEMORY)
            }
            list = appended
        }
        let code = bp_curl_setopt_slist(handle, option, list)
        if code == CURLE_OK {
            if let old = lists[option] { curl_slist_free_all(old) }
            lists[option] = list
        } else {
            curl_slist_free_all(list)
        }
        return code
    }

    /// Runs one transfer with the options set so far, blocking the calling thread until it
    /// ends; `callbacks` move the bytes. Returns `.ok` or why it failed (then see `errorDetail`).
    public func perform(_ callbacks: CurlCallbacks) -> CurlCode {
        errorBuffer[0] = 0
        let context = Unmanaged.passUnretained(callbacks).toOpaque()
        var installed: [CURLoption] = []
        if callbacks.onBody != nil {
            _ = bp_curl_setopt_callback(handle, CURLOPT_WRITEFUNCTION, CurlCallbacks.writeFunction)
            _ = bp_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, context)
            installed.append(CURLOPT_WRITEDATA)
        }
        if callbacks.onHeaderLine != nil {
            _ = bp_curl_setopt_callback(handle, CURLOPT_HEADERFUNCTION, CurlCallbacks.headerFunction)
            _ = bp_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, context)
            installed.append(CURLOPT_HEADERDATA)
        }
        if callbacks.onRead != nil {
            _ = bp_curl_setopt_callback(handle, CURLOPT_READFUNCTION, CurlCallbacks.readFunction)
            _ = bp_curl_setopt_pointer(handle, CURLOPT_READDATA, context)
            installed.append(CURLOPT_READDATA)
        }
        let code = withExtendedLifetime(callbacks) { curl_easy_perform(handle) }
        // Nothing may point at this transfer's callbacks once it returns.
        for option in installed { _ = bp_curl_setopt_pointer(handle, option, nil) }
        return CurlCode(code)
    }

    /// What curl wrote into its error buffer during the last transfer ("" when nothing).
    public var errorDetail: String { String(cString: errorBuffer) }

    /// A number about the last transfer (0 when curl has none).
    public func info(_ info: CurlInfo) -> Int {
        var value = 0
        _ = bp_curl_getinfo_long(handle, info.curlValue, &value)
        return value
    }
}

/// What one transfer does with the bytes curl moves. Each is optional: a transfer that has
/// no body to read sets no `onRead`.
public final class CurlCallbacks {
    /// Takes a chunk of the response body; returns how many bytes it took (fewer aborts the
    /// transfer with `.writeError`, curl's documented way to stop it).
    public let onBody: ((UnsafeRawBufferPointer) -> Int)?
    /// Takes one header line (an HTTP header, an SMTP reply line) with its line end.
    public let onHeaderLine: ((UnsafeRawBufferPointer) -> Void)?
    /// Fills the buffer with the next bytes to upload; returns how many (0 at the end).
    public let onRead: ((UnsafeMutableRawBufferPointer) -> Int)?

    /// Makes the callbacks of one transfer.
    public init(onBody: ((UnsafeRawBufferPointer) -> Int)? = nil,
                onHeaderLine: ((UnsafeRawBufferPointer) -> Void)? = nil,
                onRead: ((UnsafeMutableRawBufferPointer) -> Int)? = nil) {
        self.onBody = onBody
        self.onHeaderLine = onHeaderLine
        self.onRead = onRead
    }

    private static func from(_ context: UnsafeMutableRawPointer?) -> CurlCallbacks? {
        context.map { Unmanaged<CurlCallbacks>.fromOpaque($0).takeUnretainedValue() }
    }

    static let writeFunction: bp_curl_io_callback = { buffer, size, count, context in
        guard let onBody = from(context)?.onBody else { return 0 }
        return onBody(UnsafeRawBufferPointer(start: buffer, count: size * count))
    }

    static let headerFunction: bp_curl_io_callback = { buffer, size, count, context in
        from(context)?.onHeaderLine?(UnsafeRawBufferPointer(start: buffer, count: size * count))
        return size * count
    }

    static let readFunction: bp_curl_io_callback = { buffer, size, count, context in
        guard let buffer, let onRead = from(context)?.onRead else { return 0 }
        return onRead(UnsafeMutableRawBufferPointer(start: buffer, count: size * count))
    }
}
