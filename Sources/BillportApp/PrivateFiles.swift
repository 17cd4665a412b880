import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Keeps what Billport stores readable by its own user only: the database with its `-wal` and
/// `-shm` files (tenants' provider keys), generated secrets, view journals and outbox messages
/// (personal data). New files get it from the umask; files and folders that already existed
/// with wider modes (an older version, a copy, a folder made by hand) are tightened at start.
enum PrivateFiles {
    /// Every file and folder a `billport` process creates from now on: owner only, whatever
    /// the shell's umask was.
    static func restrictNewFiles() {
        umask(0o077)
    }

    /// Tightens the data directory and everything in it (a 0755 folder becomes 0700, a 0644 file
    /// 0600), and the database's files and the outbox wherever they are configured. Modes already
    /// private are left alone; symbolic links are not followed below the folders named here. Returns what
    /// could not be tightened, one line each.
    static func tighten(dataDirectory: String, databasePath: String, outboxDirectory: String?) -> [String] {
        var failures: [String] = []
        tightenTree(dataDirectory, failures: &failures)
        for suffix in ["", "-wal", "-shm", "-journal"] {
            tightenEntry(databasePath + suffix, failures: &failures)
        }
        if let outboxDirectory { tightenTree(outboxDirectory, failures: &failures) }
        return failures
    }

    private static func tightenTree(_ root: String, failures: inout [String]) {
        var info = stat()
        guard stat(root, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else { return }
        tighten(root, mode: info.st_mode, failures: &failures)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: root) else {
            failures.append("\(root): cannot list the folder")
            return
        }
        for name in names {
            let path = root + "/" + name
            var entry = stat()
            guard lstat(path, &entry) == 0 else { continue }
            switch entry.st_mode & S_IFMT {
            case S_IFDIR: tightenTree(path, failures: &failures)
            case S_IFREG: tighten(path, mode: entry.st_mode, failures: &failures)
            default: continue
            }
        }
    }

    private static func tightenEntry(_ path: String, failures: inout [String]) {
        var info = stat()
        guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return }
        tighten(path, mode: info.st_mode, failures: &failures)
    }

    /// Takes group and other access away and leaves the owner's bits as they were (a 0644 file
    /// becomes 0600, a 0755 folder 0700), so nothing the owner could run stops running.
    private static func tighten(_ path: String, mode: mode_t, failures: inout [String]) {
        guard mode & 0o077 != 0 else { return }
        if chmod(path, mode & 0o700) != 0 {
            failures.append("\(path): \(String(cString: strerror(errno)))")
        }
    }
}
