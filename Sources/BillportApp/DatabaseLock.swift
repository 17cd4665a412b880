import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An advisory lock beside the database file (`<database>.lock`) that says a Billport process is
/// running on it: `serve`, `api`, `worker` and `scheduler` hold it shared for their lifetime,
/// `restore` needs it exclusive, so a restore never swaps the file under a running process. The
/// kernel drops the lock when a process dies, so a crash never leaves it stale.
final class DatabaseLock: @unchecked Sendable {
    // Safety: `fd` is set once and only closed in deinit.
    private let fd: Int32

    enum Mode { case shared, exclusive }

    /// Takes the lock: `shared` waits for a restore in progress; `exclusive` gives up at once
    /// (nil) when any process holds it.
    init?(databasePath: String, _ mode: Mode) throws {
        let path = databasePath + ".lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw StartupError("cannot open \(path): \(String(cString: strerror(errno)))") }
        let operation = mode == .shared ? LOCK_SH : LOCK_EX | LOCK_NB
        while flock(fd, operation) != 0 {
            if errno == EINTR { continue }
            close(fd)
            if errno == EWOULDBLOCK { return nil }
            throw StartupError("cannot lock \(path): \(String(cString: strerror(errno)))")
        }
        self.fd = fd
    }

    deinit { close(fd) }
}
