import BillportCore
import Foundation
import Billing
import Synchronization

/// Records opens without making the page wait for SQLite: each view is appended to a journal
/// file (one `write(2)`, which survives a crash of the process) and kept in memory; every
/// `flushInterval` the batch goes into SQLite in one transaction and the journal is rotated
/// away. After a crash, the journal is replayed at the next start; view keys make the replay
/// idempotent. What a crash can lose: nothing when the process dies; views of the last
/// `flushInterval` when the machine itself loses power before the OS wrote the journal.
public final class ViewRecorder: Service, Sendable {
    public let name = "views"
    private let store: any ViewStore
    private let directory: String
    private let journalPath: String
    private let flushInterval: Duration
    private let logger: Logger
    private struct State: ~Copyable {
        var pending: [ViewRecord] = []
        /// The journal's descriptor, or -1 before the first view after a rotation.
        var journal: Int32 = -1
        var rotation = 0
    }
    private let state = Mutex(State())
    private let keys = RequestIDs()

    /// A key unique across processes and restarts, for a new view.
    public func nextKey() -> String { keys.next() }

    /// Journals go to `directory`, one per process (`views-<pid>.journal`).
    public init(store: any ViewStore, directory: String, flushInterval: Duration = .milliseconds(200), logger: Logger) {
        self.store = store
        self.directory = directory
        self.journalPath = directory + "/views-\(ProcessInfo.processInfo.processIdentifier).journal"
        self.flushInterval = flushInterval
        self.logger = logger.labelled("views")
    }

    deinit {
        state.withLock { state in if state.journal >= 0 { close(state.journal) } }
    }

    /// Notes one open; never blocks on the database.
    public func record(_ view: ViewRecord) {
        let line = view.journalLine
        state.withLock { state in
            if state.journal < 0 { state.journal = open(journalPath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600) }
            if state.journal >= 0 { _ = line.withUnsafeBytes { write(state.journal, $0.baseAddress, $0.count) } }
            state.pending.append(view)
            BillportMetrics.viewJournalPending.set(Double(state.pending.count))
        }
        BillportMetrics.viewsRecorded.increment()
    }

    public func run(until shutdown: ShutdownSignal) async throws {
        try await replayLeftovers()
        repeat {
            await flush()
        } while !(await shutdown.wait(timeout: flushInterval))
        await flush()
    }

    /// Writes what is pending now (tests call it to avoid waiting for the interval).
    public func flush() async {
        let (batch, rotated) = state.withLock { state -> ([ViewRecord], String?) in
            guard !state.pending.isEmpty else { return ([], nil) }
            state.rotation += 1
            let rotated = "\(journalPath).\(state.rotation)"
            if state.journal >= 0 { close(state.journal) }
            state.journal = -1
            let moved = rename(journalPath, rotated) == 0
            defer {
                state.pending = []
                BillportMetrics.viewJournalPending.set(0)
            }
            return (state.pending, moved ? rotated : nil)
        }
        guard !batch.isEmpty else { return }
        do {
            try await store.insertViews(batch)
            if let rotated { unlink(rotated) }
        } catch {
            // The rotated journal stays on disk and is replayed at the next start.
            logger.error("storing views failed; they stay in the journal", ["views": "\(batch.count)", "error": "\(error)"])
        }
    }

    /// Journals left by processes that are gone (a crash): stored, then deleted. Journals of
    /// processes still running (another `billport serve` on the same host) are theirs to flush.
    func replayLeftovers() async throws {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for name in names.sorted() where name.hasPrefix("views-") && name.contains(".journal") {
            let pidText = name.dropFirst("views-".count).prefix { $0.isNumber }
            if let pid = Int32(pidText), pid != ProcessInfo.processInfo.processIdentifier, kill(pid, 0) == 0 { continue }
            let path = directory + "/" + name
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            // A line cut by the crash does not parse and is skipped.
            let views = String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap(ViewRecord.init(journalLine:))
            try await store.insertViews(views)
            unlink(path)
            if !views.isEmpty { logger.notice("replayed views from a journal left by a stopped process", ["views": "\(views.count)"]) }
        }
    }
}
