import BillportCore
import Foundation

/// One `billport` command: its words, its options, its help and what it does.
struct Command: Sendable {
    let words: [String]
    let spec: CommandSpec
    let help: String
    let action: @Sendable (ParsedArguments, AppContext, Console) async throws -> Int32

    func run(_ arguments: ParsedArguments, context: AppContext, console: Console) async throws -> Int32 {
        try await action(arguments, context, console)
    }

    static let all: [Command] = ServeCommands.all + JobsCommands.all + TenantCommands.all + PaymentCommands.all + DocumentCommands.all

    /// The command named by the leading words of `arguments`, and the arguments after them.
    static func resolve(_ arguments: [String]) throws(UsageError) -> (Command, [String]) {
        let matches = all.filter { arguments.starts(with: $0.words) }
        guard let command = matches.max(by: { $0.words.count < $1.words.count }) else {
            let group = all.filter { $0.words.count > 1 && $0.words.first == arguments.first }
            if let name = arguments.first, !group.isEmpty {
                let sub = arguments.dropFirst().first.map { "has no subcommand '\($0)'" } ?? "needs a subcommand"
                throw UsageError(command: "billport",
                                 message: "'\(name)' \(sub); one of: \(group.map { $0.words[1] }.joined(separator: ", "))")
            }
            throw UsageError(command: "billport", message: "unknown command '\(arguments.first ?? "")'")
        }
        return (command, Array(arguments.dropFirst(command.words.count)))
    }
}

