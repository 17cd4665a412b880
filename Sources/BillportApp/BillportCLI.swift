import BillportCore
import Foundation

/// The `billport` command line: parses, loads configuration, runs one command, returns the exit
/// status (0 ok, 1 failure, 64 usage error, 78 configuration error).
public enum BillportCLI {
    static let usage = """
        billport — self-hosted backend for invoice customer portals

        Usage: billport <command> [options]

        Commands:
          serve                      run everything in one process: workers and the scheduler
          worker                     run job workers only
          scheduler                  run the scheduler only (one leader across processes)
          jobs stats                 counts per queue and state, age of the oldest ready job
          jobs list                  list jobs (--state, --queue, --kind, --limit, --before)
          jobs show ID               one job in full
          jobs retry ID              run a dead, cancelled or scheduled job again now
          jobs cancel ID             cancel a scheduled, ready or running job
          jobs enqueue KIND          enqueue a job (--payload JSON, --queue, --priority, --in, --unique-key, --max-attempts)
          schedules                  configured schedules and when each fires next
          migrate                    apply database migrations and exit

        Every command takes --config PATH (default config/billport.json when present; every key
        can be overridden by a BILLPORT_… environment variable, see config/README.md) and --help.
        """

    /// Runs `arguments` (without the program name).
    public static func run(_ arguments: [String], environment: [String: String], console: Console = .standard) async -> Int32 {
        PrivateFiles.restrictNewFiles()
        guard let first = arguments.first, !["help", "--help", "-h"].contains(first) else {
            console.out(usage)
            return 0
        }
        do {
            let (command, rest) = try Command.resolve(arguments)
            let parsed = try command.spec.parse(rest)
            if parsed.wantsHelp {
                console.out(command.help)
                return 0
            }
            let configuration = try loadConfiguration(parsed.option("config"), environment: environment)
            let logger = Logger(label: "billport", level: configuration.logLevel, handler: StandardErrorLogHandler())
            let context = AppContext(configuration: configuration, logger: logger)
            return try await command.run(parsed, context: context, console: console)
        } catch let error as UsageError {
            console.err("\(error)")
            return 64
        } catch let error as ConfigError {
            console.err("billport: \(error)")
            return 78
        } catch {
            console.err("billport: \(error)")
            return 1
        }
    }

    /// Reads the config file (`--config`, else `BILLPORT_CONFIG`, else `config/billport.json` if
    /// present) and the environment.
    static func loadConfiguration(_ path: String?, environment: [String: String]) throws -> BillportConfiguration {
        let explicit = path ?? environment["BILLPORT_CONFIG"]
        let file = explicit ?? "config/billport.json"
        var text: String?
        if FileManager.default.fileExists(atPath: file) {
            guard let contents = FileManager.default.contents(atPath: file) else {
                throw ConfigError(key: "(file)", message: "cannot be read", source: file)
            }
            text = String(decoding: contents, as: UTF8.self)
        } else if explicit != nil {
            throw ConfigError(key: "(file)", message: "does not exist", source: file)
        }
        var overrides = environment
        overrides.removeValue(forKey: "BILLPORT_CONFIG")
        return try BillportConfiguration.load(fileText: text, fileName: file, environment: overrides)
    }
}
