import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes log lines to a file descriptor without making the caller wait for the disk or the
/// terminal: lines go into a bounded in-memory buffer that one background thread drains with one
/// `write(2)` per batch. A caller wakes the thread only when it is idle, and the thread then
/// lets lines gather for `batchDelay` before writing: at thousands of requests a second that is
/// one wake-up and one `write(2)` per few dozen lines instead of one per line.
///
/// When the buffer is full (the reader of stderr stalls, or the disk does), a caller waits up to
/// `maxWait` for room, then drops its line and counts it; the count is written as a line of its
/// own (`log writer dropped N lines`) as soon as there is room again, so loss is never silent.
public final class LogWriter: @unchecked Sendable {
    // Safety: every mutable field is touched only while `condition` is locked.
    private let condition = NSCondition()
    private var buffer: [UInt8] = []
    private var dropped = 0
    private var writing = false
    private var drainerIdle = false
    private var droppedTotal = 0
    private var reportFormat = LogFormat.text
    private let capacity: Int
    private let maxWait: TimeInterval
    private let batchDelay: Duration
    private let fd: Int32

    /// A writer to `fd` holding at most `capacity` bytes waiting. Its thread keeps it alive for
    /// the life of the process (a writer is made once per process; `fd` must stay open).
    public init(fd: Int32, capacity: Int = 1 << 20, maxWait: Duration = .milliseconds(10), batchDelay: Duration = .milliseconds(2)) {
        self.fd = fd
        self.batchDelay = batchDelay
        self.capacity = max(4096, capacity)
        self.maxWait = maxWait.timeInterval
        let thread = Thread { [self] in self.drain() }
        thread.name = "billport.log-writer"
        thread.start()
    }

    /// The writer every process logs to standard error through.
    public static let standardError = LogWriter(fd: STDERR_FILENO)

    /// Lines dropped so far because the buffer stayed full.
    public var droppedLines: Int { condition.withLock { droppedTotal } }

    /// The format of the writer's own report of dropped lines: the format of every other line,
    /// so that a JSON reader never meets a line it cannot parse.
    public var format: LogFormat {
        get { condition.withLock { reportFormat } }
        set { condition.withLock { reportFormat = newValue } }
    }

    /// Queues `line` (a newline is added).
    public func write(_ line: String) {
        write(line: Array(line.utf8))
    }

    /// Queues the UTF-8 bytes of one line (a newline is added).
    public func write(line bytes: [UInt8]) {
        let length = bytes.count + 1
        condition.lock()
        defer { condition.unlock() }
        if buffer.count + length > capacity {
            let deadline = Date(timeIntervalSinceNow: maxWait)
            while buffer.count + length > capacity, condition.wait(until: deadline) {}
            guard buffer.count + length <= capacity else {
                dropped += 1
                droppedTotal += 1
                return
            }
        }
        buffer += bytes
        buffer.append(0x0A)
        if drainerIdle {
            drainerIdle = false
            condition.broadcast()
        }
    }

    /// Waits until every line queued so far is written (before the process exits).
    public func flush() {
        condition.lock()
        defer { condition.unlock() }
        while !buffer.isEmpty || writing || dropped > 0 { condition.wait() }
    }

    private func drain() {
        // Two buffers trade places, so that neither regrows from empty at every batch.
        var batch: [UInt8] = []
        while true {
            condition.lock()
            while buffer.isEmpty && dropped == 0 {
                drainerIdle = true
                condition.wait()
            }
            drainerIdle = false
            condition.unlock()
            // Lines keep arriving meanwhile without waking anybody.
            ThreadSleep.sleep(for: batchDelay)
            condition.lock()
            swap(&batch, &buffer)
            if dropped > 0 {
                let report = LogRecord(date: Date(), level: .warning, label: "log", message: "log writer dropped \(dropped) lines: the buffer stayed full",
                                       metadata: ["dropped": String(dropped)])
                report.append(reportFormat, to: &batch)
                batch.append(0x0A)
                dropped = 0
            }
            writing = true
            condition.broadcast()
            condition.unlock()
            Self.writeAll(batch, to: fd)
            batch.removeAll(keepingCapacity: true)
            condition.lock()
            writing = false
            condition.broadcast()
            condition.unlock()
        }
    }

    private static func writeAll(_ bytes: [UInt8], to fd: Int32) {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if written > 0 {
                    offset += written
                } else if written < 0 && errno == EINTR {
                    continue
                } else {
                    return  // the descriptor is gone: nothing more can be told
                }
            }
        }
    }
}
