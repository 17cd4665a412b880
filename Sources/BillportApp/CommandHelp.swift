/// `--help` at every level of the command table: the overview (`billport --help`), a group's
/// subcommands (`billport jobs --help`) and, through each command's parser, one command's text
/// (`billport jobs list --help`). The lists come from `Command.all`, so a new command shows up
/// in them as soon as it is in the table.
enum CommandHelp {
    static let flags: Set<String> = ["--help", "-h"]

    /// The overview or group help `arguments` ask for; nil when they name a command (its parser
    /// answers `--help` with the command's own text) or are no request for help at all.
    static func text(for arguments: [String]) -> String? {
        guard let first = arguments.first, first != "help", !flags.contains(first) else { return overview }
        let rest = arguments.dropFirst()
        guard !rest.isEmpty, rest.allSatisfy(flags.contains), !Command.members(of: first).isEmpty else { return nil }
        return group(first)
    }

    /// `billport help jobs list` is `billport jobs list --help`.
    static func rewritingHelpTopic(_ arguments: [String]) -> [String] {
        guard arguments.first == "help", arguments.count > 1 else { return arguments }
        return Array(arguments.dropFirst()) + ["--help"]
    }

    static var overview: String {
        """
        billport — self-hosted backend for invoice customer portals

        Usage: billport <command> [options]

        Commands:
        \(list(orderedByGroup(Command.all), words: \.words))

        Every command takes --config PATH (default config/billport.json when present; every key
        can be overridden by a BILLPORT_… environment variable, see config/README.md) and --help:
        `billport <command> --help` shows one command in full.
        """
    }

    static func group(_ name: String) -> String {
        """
        Usage: billport \(name) <subcommand> [options]

        Subcommands:
        \(list(Command.members(of: name)) { Array($0.words.dropFirst()) })

        `billport \(name) <subcommand> --help` shows one subcommand in full.
        """
    }

    /// The table's order, with each group's members together where its first member stands.
    private static func orderedByGroup(_ commands: [Command]) -> [Command] {
        var seen: Set<String> = []
        return commands.flatMap { command -> [Command] in
            guard command.words.count > 1 else { return [command] }
            guard seen.insert(command.words[0]).inserted else { return [] }
            return Command.members(of: command.words[0])
        }
    }

    /// Two aligned columns: the command's words and its summary.
    private static func list(_ commands: [Command], words: (Command) -> [String]) -> String {
        let names = commands.map { words($0).joined(separator: " ") }
        let width = (names.map(\.count).max() ?? 0) + 2
        return zip(names, commands).map { name, command in
            "  " + name.padding(toLength: width, withPad: " ", startingAt: 0) + command.summary
        }.joined(separator: "\n")
    }
}
