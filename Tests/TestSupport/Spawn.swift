import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Starts child processes with `posix_spawn`.
///
/// Foundation's `Process.run()` on Linux can crash the *calling* process: while it lists
/// `/proc/self/fd` to close descriptors it copies a whole `dirent` and now and then reads past
/// glibc's buffer (swift-corelibs-foundation pull request 5472). The suite starts hundreds of
/// children (servers, workers, pdftotext, Python), so it never goes through `Process`.
public enum Spawn {
    /// What a finished command wrote and how it ended.
    public struct Output: Sendable {
        /// The exit status, or 128 + the signal that ended it.
        public let status: Int32
        public let stdout: Data
        public let stderr: Data
        /// Standard output as UTF-8 text.
        public var text: String { String(decoding: stdout, as: UTF8.self) }
    }

    /// A child that could not be started.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Starts `executable` (an absolute path) with its standard streams on the given files and
    /// no other descriptor of this process; returns its pid.
    public static func start(_ executable: String, _ arguments: [String], directory: String? = nil,
                             environment: [String: String]? = nil, stdin: String = "/dev/null",
                             stdout: String = "/dev/null", stderr: String = "/dev/null") throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdin, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        // Sockets and files of other tests must not leak into the child (a listening socket
        // kept open by a child outlives its test).
        _ = Extensions.closeFrom?(&actions, 3)
        if let directory {
            guard let chdir = Extensions.changeDirectory else { throw Failure(description: "posix_spawn cannot change directory here") }
            _ = directory.withCString { chdir(&actions, $0) }
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Signals the test runner ignores or blocks would otherwise be ignored by the child too.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD, SIGUSR1, SIGUSR2, SIGALRM] { sigaddset(&defaults, signal) }
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &unblocked)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = [executable] + arguments
        let env = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        var pid: pid_t = 0
        let status = withCStringArray(argv) { argvPointer in
            withCStringArray(env) { envPointer in posix_spawn(&pid, executable, &actions, &attributes, argvPointer, envPointer) }
        }
        guard status == 0 else { throw Failure(description: "cannot start \(executable): \(String(cString: strerror(status)))") }
        return pid
    }

    /// Runs `executable` to its end (blocking the calling thread) and returns what it wrote.
    public static func run(_ executable: String, _ arguments: [String], directory: String? = nil,
                           environment: [String: String]? = nil, stdin: String = "/dev/null") throws -> Output {
        let scratch = TemporaryDirectory()
        let (out, err) = (scratch.file("stdout"), scratch.file("stderr"))
        let pid = try start(executable, arguments, directory: directory, environment: environment, stdin: stdin, stdout: out, stderr: err)
        let status = waitBlocking(pid)
        return Output(status: status,
                      stdout: FileManager.default.contents(atPath: out) ?? Data(),
                      stderr: FileManager.default.contents(atPath: err) ?? Data())
    }

    /// Waits for `pid` to end and reaps it; its exit status, or 128 + the signal.
    public static func waitBlocking(_ pid: pid_t) -> Int32 {
        var raw: Int32 = 0
        while waitpid(pid, &raw, 0) == -1 && errno == EINTR {}
        return decode(raw)
    }

    /// The exit status of a `waitpid` status word, or 128 + the signal that ended the process.
    static func decode(_ raw: Int32) -> Int32 {
        let signal = raw & 0x7f
        return signal == 0 ? (raw >> 8) & 0xff : 128 + signal
    }

    /// glibc's `_np` spawn actions, which Swift's Glibc module does not import.
    private enum Extensions {
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        typealias ChangeDirectory = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32

        static let closeFrom: CloseFrom? = symbol("posix_spawn_file_actions_addclosefrom_np")
        static let changeDirectory: ChangeDirectory? = symbol("posix_spawn_file_actions_addchdir_np")

        private static func symbol<T>(_ name: String) -> T? {
            guard let address = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { return nil }
            return unsafeBitCast(address, to: T.self)
        }
    }

    private static func withCStringArray<R>(_ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> R) -> R {
        var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        pointers.append(nil)
        defer { for pointer in pointers { free(pointer) } }
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}
