import BillportCore
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The log writer every process logs through: lines arrive whole and in order, a stalled reader
/// costs a bounded wait and counted, reported drops, never a blocked caller.
@Suite struct LogWriterTests {
    /// A pipe whose read end the test drains when it chooses.
    final class Pipe: @unchecked Sendable {
        let read: Int32, write: Int32
        init() {
            var fds: [Int32] = [0, 0]
            precondition(pipe(&fds) == 0)
            (read, write) = (fds[0], fds[1])
        }
        deinit { close(read); close(write) }

        /// Reads until `predicate` holds for the text so far (or 10 s pass).
        func read(until predicate: (String) -> Bool) -> String {
            var text = [UInt8]()
            var chunk = [UInt8](repeating: 0, count: 65_536)
            let deadline = Date(timeIntervalSinceNow: 10)
            while !predicate(String(decoding: text, as: UTF8.self)), Date() < deadline {
                var poller = pollfd(fd: read, events: Int16(POLLIN), revents: 0)
                guard poll(&poller, 1, 100) > 0 else { continue }
                let count = Glibc.read(read, &chunk, chunk.count)
                if count > 0 { text += chunk[0..<count] }
            }
            return String(decoding: text, as: UTF8.self)
        }

        /// Reads until `writer` has written all it holds, so that it never writes to a closed
        /// pipe; false if that took over 10 s.
        func readUntilFlushed(_ writer: LogWriter) -> Bool {
            let flushed = DispatchSemaphore(value: 0)
            Thread { writer.flush(); flushed.signal() }.start()
            var drained = false
            _ = read { _ in
                drained = flushed.wait(timeout: .now()) == .success
                return drained
            }
            return drained
        }
    }

    @Test func linesFromManyThreadsArriveWholeAndInEachThreadsOrder() async throws {
        let pipe = Pipe()
        let writer = LogWriter(fd: pipe.write)
        await withTaskGroup(of: Void.self) { group in
            for thread in 0..<4 {
                group.addTask { for n in 0..<500 { writer.write("t\(thread) line \(n)") } }
            }
        }
        let text = pipe.read { $0.split(separator: "\n").count >= 2_000 }
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.count == 2_000)
        for thread in 0..<4 {
            let own = lines.filter { $0.hasPrefix("t\(thread) ") }
            #expect(own == (0..<500).map { "t\(thread) line \($0)" })
        }
        writer.flush()
        #expect(writer.droppedLines == 0)
    }

    @Test func aStalledReaderMakesTheWriterDropAndCountThenSayHowManyOnceDrained() {
        let pipe = Pipe()
        // A small buffer and a short wait: the pipe (64 KiB) and the buffer fill, then lines drop.
        let writer = LogWriter(fd: pipe.write, capacity: 4096, maxWait: .milliseconds(1))
        let line = String(repeating: "x", count: 200)
        for _ in 0..<2_000 { writer.write(line) }
        #expect(writer.droppedLines > 0, "2,000 lines of 200 bytes cannot all wait in 64 KiB + 4 KiB")
        let dropped = writer.droppedLines
        let text = pipe.read { $0.contains("log writer dropped") && $0.hasSuffix("\n") }
        #expect(text.contains("log writer dropped"))
        let reports = text.split(separator: "\n").filter { $0.contains("warning log: log writer dropped") }
        let reported = reports.compactMap { $0.split(separator: " ").last.flatMap { Int($0.dropFirst("dropped=".count)) } }.reduce(0, +)
        #expect(reported <= dropped && reported > 0)
        #expect(pipe.readUntilFlushed(writer))
    }

    @Test func theDropReportIsALineOfTheWritersFormat() throws {
        let pipe = Pipe()
        let writer = LogWriter(fd: pipe.write, capacity: 4096, maxWait: .milliseconds(1))
        writer.format = .json
        let line = String(repeating: "x", count: 200)
        for _ in 0..<2_000 { writer.write(line) }
        #expect(writer.droppedLines > 0)
        let text = pipe.read { $0.contains("log writer dropped") && $0.hasSuffix("\n") }
        let report = try #require(text.split(separator: "\n").first { $0.contains("log writer dropped") })
        let object = try #require(try JSONSerialization.jsonObject(with: Data(report.utf8)) as? [String: Any])
        #expect(object["level"] as? String == "warning")
        #expect(Int((object["fields"] as? [String: String])?["dropped"] ?? "") ?? 0 > 0)
        #expect(pipe.readUntilFlushed(writer))
    }

    @Test func formattingEscapesWhatCouldForgeALineAndQuotesOnlyWhatNeedsIt() {
        let record = LogRecord(date: Date(timeIntervalSince1970: 0), level: .info, label: "http",
                               message: "a\nb\\c\r", metadata: ["plain": "GET", "spaced": "a b", "quoted": "say \"hi\"", "empty": ""])
        #expect(record.formatted == #"1970-01-01T00:00:00.000Z info http: a\nb\\c\r plain=GET spaced="a b" quoted="say \"hi\"" empty="""#)
    }
}
