/// A command line that does not fit its command; printed as one line with a pointer to `--help`.
public struct UsageError: Error, Sendable, Equatable, CustomStringConvertible {
    public let command: String
    public let message: String

    public var description: String { "\(command): \(message) (see '\(command) --help')" }
}

/// The options one command accepts.
struct CommandSpec: Sendable {
    /// `billport jobs list`, as shown in messages.
    let command: String
    /// Options that take a value (`--state dead`, `--state=dead`).
    var options: Set<String> = []
    /// Options that stand alone (`--json`).
    var flags: Set<String> = []
    /// How many positional arguments, with their names for messages.
    var positionals: [String] = []
    /// How many of `positionals` may be left out (from the end).
    var optionalPositionals = 0
}

/// What a command line said.
struct ParsedArguments: Equatable {
    var options: [String: String] = [:]
    var flags: Set<String> = []
    var positionals: [String] = []
    var wantsHelp = false

    func option(_ name: String) -> String? { options[name] }
}

extension CommandSpec {
    /// Parses `arguments` (after the command words). `--config` is accepted by every command.
    func parse(_ arguments: [String]) throws(UsageError) -> ParsedArguments {
        var parsed = ParsedArguments()
        var index = 0
        let valued = options.union(["config"])
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if argument == "--help" || argument == "-h" {
                parsed.wantsHelp = true
                continue
            }
            if argument == "--" {
                parsed.positionals += arguments[index...]
                break
            }
            guard argument.hasPrefix("--"), argument.count > 2 else {
                if argument.hasPrefix("-"), argument.count > 1, Int(argument) == nil {
                    throw UsageError(command: command, message: "unknown option \(argument)")
                }
                parsed.positionals.append(argument)
                continue
            }
            let body = argument.dropFirst(2)
            let name = String(body.prefix { $0 != "=" })
            let inlineValue = body.contains("=") ? String(body.drop { $0 != "=" }.dropFirst()) : nil
            if flags.contains(name) {
                guard inlineValue == nil else { throw UsageError(command: command, message: "--\(name) takes no value") }
                parsed.flags.insert(name)
            } else if valued.contains(name) {
                if let inlineValue {
                    parsed.options[name] = inlineValue
                } else {
                    guard index < arguments.count else { throw UsageError(command: command, message: "--\(name) needs a value") }
                    parsed.options[name] = arguments[index]
                    index += 1
                }
            } else {
                throw UsageError(command: command, message: "unknown option --\(name)")
            }
        }
        if parsed.wantsHelp { return parsed }
        let required = positionals.count - optionalPositionals
        if parsed.positionals.count < required {
            throw UsageError(command: command, message: "missing \(positionals[parsed.positionals.count])")
        }
        if parsed.positionals.count > positionals.count {
            throw UsageError(command: command, message: "unexpected argument '\(parsed.positionals[positionals.count])'")
        }
        return parsed
    }
}
