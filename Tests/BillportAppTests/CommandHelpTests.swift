@testable import BillportApp
import Foundation
import TestSupport
import Testing

/// `--help` through the real binary, for every entry of the command table: a command added to
/// the table is covered without touching this test.
@Suite struct CommandHelpTests {
    let billport = ChildProcess.builtProduct("billport")

    /// Runs `billport arguments` in an empty directory; its exit status, stdout and stderr.
    func run(_ arguments: [String]) async throws -> (status: Int32?, out: String, err: String) {
        let dir = TemporaryDirectory()
        let process = try ChildProcess(billport, arguments, directory: dir.path, environment: ["BILLPORT_DATA_DIRECTORY": dir.file("data")])
        let status = try await process.waitForExit()
        return (status, process.stdout, process.stderr)
    }

    @Test func everyCommandAndGroupAnswersHelpWithItsUsage() async throws {
        #expect(FileManager.default.isExecutableFile(atPath: billport), "build billport first: swift build")
        #expect(!Command.groups.isEmpty)
        let topics = Command.all.map(\.words) + Command.groups.map { [$0] }
        for words in topics {
            for flag in ["--help", "-h"] {
                let (status, out, err) = try await run(words + [flag])
                #expect(status == 0, "billport \(words.joined(separator: " ")) \(flag): \(err)")
                #expect(out.hasPrefix("Usage: billport \(words.joined(separator: " "))"), "\(words): \(out)")
                #expect(err.isEmpty, "\(words): \(err)")
            }
        }
        for group in Command.groups {
            let (_, out, _) = try await run([group, "--help"])
            for member in Command.members(of: group) {
                #expect(out.contains("  \(member.words[1]) "), "billport \(group) --help misses \(member.words[1])")
                #expect(out.contains(member.summary))
            }
        }
    }

    @Test func theOverviewNamesEveryCommandWithItsSummary() async throws {
        for arguments in [["--help"], ["-h"], ["help"], []] {
            let (status, out, _) = try await run(arguments)
            #expect(status == 0, "\(arguments)")
            #expect(out.contains("Usage: billport <command> [options]"))
            for command in Command.all {
                let line = out.split(separator: "\n").first { $0.hasPrefix("  \(command.words.joined(separator: " ")) ") }
                #expect(line?.hasSuffix(command.summary) == true, "billport \(arguments) lists no line for \(command.words)")
            }
        }
    }

    @Test func helpWithATopicIsThatCommandsHelp() async throws {
        let (status, out, _) = try await run(["help", "jobs", "list"])
        #expect(status == 0)
        #expect(out.hasPrefix("Usage: billport jobs list"))
        let (groupStatus, group, _) = try await run(["help", "tenant"])
        #expect(groupStatus == 0)
        #expect(group.hasPrefix("Usage: billport tenant <subcommand>"))
    }

    @Test func unknownCommandsAndOptionsStillExit64WithOneClearLine() async throws {
        let cases: [([String], String)] = [
            (["frob"], "billport: unknown command 'frob' (see 'billport --help')"),
            (["--frob"], "billport: unknown option --frob (see 'billport --help')"),
            (["help", "frob"], "billport: unknown command 'frob' (see 'billport --help')"),
            (["tenant", "frob", "--help"], "billport: 'tenant' has no subcommand 'frob'; one of: create, payments (see 'billport --help')"),
            (["jobs"], "billport: 'jobs' needs a subcommand; one of: stats, list, show, retry, cancel, enqueue (see 'billport --help')"),
            (["demo", "--frob", "--help"], "billport demo: unknown option --frob (see 'billport demo --help')"),
        ]
        for (arguments, message) in cases {
            let (status, out, err) = try await run(arguments)
            #expect(status == 64, "\(arguments)")
            #expect(out.isEmpty, "\(arguments): \(out)")
            #expect(err == message + "\n", "\(arguments)")
        }
    }
}
