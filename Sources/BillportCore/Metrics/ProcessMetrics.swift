import Foundation

/// Reads what the kernel knows of this process at scrape time: resident memory and open
/// descriptors from /proc/self (Linux; left at 0 elsewhere), CPU time from getrusage, and the
/// log writer's dropped lines.
public enum ProcessMetrics {
    public static func collect() {
        if let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
           let pages = statm.split(separator: " ").dropFirst().first.flatMap({ Double($0) }) {
            BillportMetrics.residentMemory.set(pages * Double(sysconf(Int32(_SC_PAGESIZE))))
        }
        if let descriptors = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") {
            // The listing's own descriptor is in it.
            BillportMetrics.openFDs.set(Double(max(0, descriptors.count - 1)))
        }
        var usage = rusage()
        if getrusage(RUSAGE_SELF.rawValue, &usage) == 0 {
            let seconds = { (time: timeval) in Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
            BillportMetrics.cpuSeconds.set(seconds(usage.ru_utime) + seconds(usage.ru_stime))
        }
        BillportMetrics.logLinesDropped.advance(to: UInt64(max(0, LogWriter.standardError.droppedLines)))
    }

    /// The size of the database file and of its `-wal` beside it (0 when absent).
    public static func collectSQLiteSizes(databasePath: String) {
        for (file, path) in [("database", databasePath), ("wal", databasePath + "-wal")] {
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.doubleValue ?? 0
            BillportMetrics.sqliteBytes.labels(file).set(size)
        }
    }
}
