import BillportCore
import Foundation

/// The `billport` command line: parses, loads configuration, runs one command, returns the exit
/// status (0 ok, 1 failure, 64 usage error, 78 configuration error).
public enum BillportCLI {
    /// Runs `arguments` (without the program name).
    public static func run(_ arguments: [String], environment: [String: String], console: Console = .standard) async -> Int32 {
        PrivateFiles.restrictNewFiles()
        let arguments = CommandHelp.rewritingHelpTopic(arguments)
        if let help = CommandHelp.text(for: arguments) {
            console.out(help)
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
            LogWriter.standardError.format = configuration.logFormat
            let logger = Logger(label: "billport", level: configuration.logLevel, handler: StandardErrorLogHandler(format: configuration.logFormat))
            let context = AppContext(configuration: configuration, logger: logger)
            let status = try await command.run(parsed, context: context, console: console)
            LogWriter.standardError.flush()
            return status
        } catch let error as UsageError {
            console.err("\(error)")
            return 64
        } catch let error as ConfigError {
            console.err("billport: \(error)")
            return 78
        } catch {
            // The log lines the command wrote come before the line that says why it failed.
            LogWriter.standardError.flush()
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
        let configuration = try BillportConfiguration.load(fileText: text, fileName: file, environment: overrides)
        if text != nil { try BillportConfiguration.checkPasswordPrivacy(configuration, file: file, environment: overrides) }
        return configuration
    }
}
