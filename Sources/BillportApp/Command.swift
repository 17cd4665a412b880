import BillportCore
import Foundation

/// One `billport` command: its words, its one-line summary (for the command lists), its options,
/// its help and what it does.
struct Command: Sendable {
    let words: [String]
    let summary: String
    let spec: CommandSpec
    let help: String
    let action: @Sendable (ParsedArguments, AppContext, Console) async throws -> Int32

    func run(_ arguments: ParsedArguments, context: AppContext, console: Console) async throws -> Int32 {
        try await action(arguments, context, console)
    }

    static let all: [Command] = ServeCommands.all + JobsCommands.all + TenantCommands.all + PaymentCommands.all + DocumentCommands.all
        + BackupCommands.all + CopyDatabaseCommand.all

    /// The words that lead a group of subcommands (`jobs`, `tenant`), in table order.
    static var groups: [String] {
        all.filter { $0.words.count > 1 }.map { $0.words[0] }.reduce(into: []) { if !$0.contains($1) { $0.append($1) } }
    }

    /// The subcommands of `group`, in table order.
    static func members(of group: String) -> [Command] {
        all.filter { $0.words.count > 1 && $0.words[0] == group }
    }

    /// The command named by the leading words of `arguments`, and the arguments after them.
    static func resolve(_ arguments: [String]) throws(UsageError) -> (Command, [String]) {
        let matches = all.filter { arguments.starts(with: $0.words) }
        guard let command = matches.max(by: { $0.words.count < $1.words.count }) else {
            let name = arguments.first ?? ""
            let group = members(of: name)
            if !group.isEmpty {
                let sub = arguments.dropFirst().first.map { "has no subcommand '\($0)'" } ?? "needs a subcommand"
                throw UsageError(command: "billport",
                                 message: "'\(name)' \(sub); one of: \(group.map { $0.words[1] }.joined(separator: ", "))")
            }
            throw UsageError(command: "billport", message: name.hasPrefix("-") ? "unknown option \(name)" : "unknown command '\(name)'")
        }
        return (command, Array(arguments.dropFirst(command.words.count)))
    }
}

