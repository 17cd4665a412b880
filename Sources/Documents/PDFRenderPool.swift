import BillportCore
import Foundation
import Synchronization

/// How many invoice PDFs are made at once and how many may wait (`pdf.renderConcurrency`,
/// `pdf.renderQueue`).
public struct RenderPoolSettings: Sendable, Equatable {
    public var concurrency: Int
    public var queueLimit: Int

    /// One render per core by default, so renders never starve each other of more than a core.
    public init(concurrency: Int = ProcessInfo.processInfo.activeProcessorCount, queueLimit: Int = 64) {
        self.concurrency = concurrency
        self.queueLimit = queueLimit
    }
}

/// Every PDF render of a process goes through one pool: bounded, on its own threads, and one
/// render for any number of concurrent requests for the same invoice content (same tenant,
/// invoice and content hash), whose waiters all get its bytes (single flight).
public final class PDFRenderPool: Sendable {
    /// Identifies one rendering: the same key always renders to the same bytes.
    struct Key: Hashable, Sendable {
        let tenantID: Int64
        let invoiceID: Int64
        let contentHash: String
    }

    public let renderer: any InvoiceRenderer
    private let threads: RenderThreads
    private let flights = Mutex<[Key: Task<[UInt8], any Error>]>([:])
    private let logger: Logger
    private let started = Atomic<Int>(0)

    public init(renderer: any InvoiceRenderer, settings: RenderPoolSettings = RenderPoolSettings(), logger: Logger = .disabled) {
        self.renderer = renderer
        threads = RenderThreads(concurrency: settings.concurrency, queueLimit: settings.queueLimit)
        self.logger = logger.labelled("pdf")
    }

    /// Renders started so far (joined requests do not count).
    public var rendersStarted: Int { started.load(ordering: .relaxed) }

    /// `work`'s result computed on the pool's threads (other CPU-heavy work, such as scaling an
    /// uploaded logo, shares the same bound). Throws `RenderBusy` when the queue is full.
    public func offload<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await threads.run(work)
    }

    /// The PDF for `sheet`: joins a render of the same key already under way, else renders on
    /// the pool and hands the bytes to `keep` (the cache) before any waiter gets them.
    func pdf(_ key: Key, sheet: InvoiceSheet, keep: @escaping @Sendable ([UInt8]) async throws -> Void) async throws -> [UInt8] {
        let (task, joined) = flights.withLock { inFlight -> (Task<[UInt8], any Error>, Bool) in
            if let running = inFlight[key] { return (running, true) }
            let task = Task { [self] in
                defer { _ = self.flights.withLock { $0.removeValue(forKey: key) } }
                started.add(1, ordering: .relaxed)
                let renderer = self.renderer
                let bytes = try await threads.run { try renderer.render(sheet) }
                try await keep(bytes)
                return bytes
            }
            inFlight[key] = task
            return (task, false)
        }
        if joined { logger.debug("pdf render shared", ["invoice": "\(key.invoiceID)"]) }
        return try await task.value
    }
}
