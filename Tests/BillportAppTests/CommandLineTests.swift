@testable import BillportApp
import Foundation
import Synchronization
import TestSupport
import Testing

/// Collects what a command prints.
final class CapturedConsole: Sendable {
    private let lines = Mutex<(out: [String], err: [String])>(([], []))
    var console: Console {
        Console(out: { line in self.lines.withLock { $0.out.append(line) } },
                err: { line in self.lines.withLock { $0.err.append(line) } })
    }
    var out: String { lines.withLock { $0.out.joined(separator: "\n") } }
    var err: String { lines.withLock { $0.err.joined(separator: "\n") } }
}

@Suite struct CommandLineTests {
    let spec = CommandSpec(command: "billport jobs list", options: ["state", "limit"], flags: ["json"], positionals: ["id"], optionalPositionals: 1)

    @Test func parsesOptionsFlagsAndPositionals() throws {
        let parsed = try spec.parse(["--state", "dead", "--limit=5", "--json", "12"])
        #expect(parsed.options == ["state": "dead", "limit": "5"])
        #expect(parsed.flags == ["json"])
        #expect(parsed.positionals == ["12"])
    }

    @Test func rejectsUnknownOptionsMissingValuesAndExtraArguments() {
        #expect(throws: UsageError(command: "billport jobs list", message: "unknown option --stat")) { try spec.parse(["--stat", "x"]) }
        #expect(throws: UsageError(command: "billport jobs list", message: "--limit needs a value")) { try spec.parse(["--limit"]) }
        #expect(throws: UsageError(command: "billport jobs list", message: "unexpected argument 'b'")) { try spec.parse(["a", "b"]) }
        #expect(throws: UsageError(command: "billport jobs list", message: "unknown option -x")) { try spec.parse(["-x"]) }
    }

    @Test func everyCommandHasHelp() async {
        for command in Command.all {
            let captured = CapturedConsole()
            let status = await BillportCLI.run(command.words + ["--help"], environment: [:], console: captured.console)
            #expect(status == 0)
            #expect(captured.out.hasPrefix("Usage: billport \(command.words.joined(separator: " "))"))
        }
        let captured = CapturedConsole()
        #expect(await BillportCLI.run(["--help"], environment: [:], console: captured.console) == 0)
        #expect(captured.out.contains("jobs stats"))
    }

    @Test func usageErrorsExitWith64AndOneLine() async {
        let cases: [([String], String)] = [
            (["frob"], "billport: unknown command 'frob' (see 'billport --help')"),
            (["jobs", "lst"], "billport: 'jobs' has no subcommand 'lst'; one of: stats, list, show, retry, cancel, enqueue (see 'billport --help')"),
            (["jobs", "list", "--stat", "dead"], "billport jobs list: unknown option --stat (see 'billport jobs list --help')"),
            (["jobs", "show"], "billport jobs show: missing job ID (see 'billport jobs show --help')"),
            (["worker", "--concurrency", "4"], "billport worker: unknown option --concurrency (see 'billport worker --help')"),
        ]
        for (arguments, message) in cases {
            let captured = CapturedConsole()
            #expect(await BillportCLI.run(arguments, environment: [:], console: captured.console) == 64)
            #expect(captured.err == message)
        }
    }

    @Test func aMissingConfigFileIsAConfigError() async {
        let captured = CapturedConsole()
        #expect(await BillportCLI.run(["jobs", "stats", "--config", "/nonexistent/billport.json"], environment: [:], console: captured.console) == 78)
        #expect(captured.err == "billport: config (file): does not exist (/nonexistent/billport.json)")
    }

    @Test func enqueueShowRetryAndCancelThroughTheCommandLine() async throws {
        let dir = TemporaryDirectory()
        let environment = ["BILLPORT_DATABASE_PATH": dir.file("cli.sqlite"), "BILLPORT_LOG_LEVEL": "warning"]
        func run(_ arguments: String...) async -> (Int32, String, String) {
            let captured = CapturedConsole()
            let status = await BillportCLI.run(arguments, environment: environment, console: captured.console)
            return (status, captured.out, captured.err)
        }
        #expect(await run("jobs", "enqueue", "diag.sleep", "--payload", #"{"ms": 5}"#, "--in", "1h", "--unique-key", "k1") == (0, "enqueued job 1", ""))
        #expect(await run("jobs", "enqueue", "diag.sleep", "--payload", #"{"ms": 5}"#, "--unique-key", "k1") == (0, "job 1 with that unique key is already active", ""))
        let (_, shown, _) = await run("jobs", "show", "1")
        #expect(shown.contains("state       scheduled"))
        #expect(shown.contains(#"payload     {"ms": 5}"#))
        #expect(await run("jobs", "retry", "1") == (0, "job 1 is ready (attempt 1 of 20 next)", ""))
        #expect(await run("jobs", "cancel", "1") == (0, "job 1 is cancelled", ""))
        #expect(await run("jobs", "cancel", "1") == (1, "", "billport: job 1 is cancelled and cannot be cancelled"))
        #expect(await run("jobs", "show", "99") == (1, "", "billport: no job 99"))
        #expect(await run("jobs", "enqueue", "diag.sleep", "--payload", "{nope") == (64, "", "billport jobs enqueue: payload is not valid JSON (see 'billport jobs enqueue --help')"))
        let (_, listed, _) = await run("jobs", "list", "--state", "cancelled")
        #expect(listed.split(separator: "\n").count == 2)
        let (_, stats, _) = await run("jobs", "stats")
        #expect(stats.contains("default  0          0      0        0     0     1"))
    }

    @Test func tenantPaymentsSetsThePlanAndKeysAndPrintsThemMasked() async throws {
        let dir = TemporaryDirectory()
        let environment = ["BILLPORT_DATABASE_PATH": dir.file("cli.sqlite"), "BILLPORT_DATA_DIRECTORY": dir.path, "BILLPORT_LOG_LEVEL": "warning",
                           "BILLPORT_HTTP_PUBLIC_BASE_URL": "https://billing.example.com"]
        func run(_ arguments: String...) async -> (Int32, String, String) {
            let captured = CapturedConsole()
            let status = await BillportCLI.run(arguments, environment: environment, console: captured.console)
            return (status, captured.out, captured.err)
        }
        #expect(await run("tenant", "create", "acme", "--name", "Acme").0 == 0)
        let key = "sk_test_51CommandLineKey0000abcd"
        let (status, out, _) = await run("tenant", "payments", "acme", "--plan", "pro", "--stripe-key", key,
                                         "--webhook-secret", "whsec_commandLineSecret9876")
        #expect(status == 0)
        #expect(out.contains("plan pro, Stripe key sk_test_…abcd, webhook secrets whsec_…9876"))
        #expect(out.contains("online payments: on"))
        #expect(out.contains("webhook endpoint for Stripe: https://billing.example.com/webhooks/stripe/acme"))
        #expect(!out.contains(key))
        let (_, rolled, _) = await run("tenant", "payments", "acme", "--add-webhook-secret", "whsec_nextSecret00001111")
        #expect(rolled.contains("webhook secrets whsec_…9876 whsec_…1111"))
        let (_, disconnected, _) = await run("tenant", "payments", "acme", "--disconnect")
        #expect(disconnected.contains("online payments: off (needs plan pro and a Stripe key)"))
        #expect(await run("tenant", "payments", "acme", "--stripe-key", "pk_live_nope")
                == (64, "", "billport tenant payments: --stripe-key: must be a Stripe secret key (sk_live_…, sk_test_…, rk_live_… or rk_test_…) (see 'billport tenant payments --help')"))
        #expect(await run("tenant", "payments", "nobody").0 == 1)
    }
}
