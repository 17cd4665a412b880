import BillportCore
import Foundation
import Queue
import Scheduler

/// `jobs …` and `schedules`: inspecting and steering the queue from a shell.
enum JobsCommands {
    static let all: [Command] = [
        Command(words: ["jobs", "stats"], summary: "counts per queue and state, age of the oldest ready job",
                spec: CommandSpec(command: "billport jobs stats"), help: """
            Usage: billport jobs stats

            Jobs per queue and state, and how long the oldest ready job of each queue has waited.
            """) { _, context, console in
            let stats = try await context.openJobStore().store.stats()
            var table = TextTable(header: ["QUEUE"] + JobState.allCases.map { $0.rawValue.uppercased() } + ["OLDEST READY"])
            for name in stats.queues.keys.sorted() {
                let queue = stats.queues[name]!
                table.rows.append([name] + JobState.allCases.map { "\(queue.counts[$0] ?? 0)" }
                                  + [queue.oldestReadyAge.map(DurationText.format) ?? "-"])
            }
            table.rendered.forEach(console.out)
            if stats.queues.isEmpty { console.out("(no jobs)") }
            return 0
        },
        Command(words: ["jobs", "list"], summary: "list jobs, newest first (--state, --queue, --kind, --limit, --before)",
                spec: CommandSpec(command: "billport jobs list", options: ["state", "queue", "kind", "limit", "before"]), help: """
            Usage: billport jobs list [--state STATE] [--queue NAME] [--kind KIND] [--limit N] [--before ID]

            Jobs newest first (default 50). STATE is one of \(JobState.allCases.map(\.rawValue).joined(separator: ", ")).
            --before ID pages back from a job id.
            """) { arguments, context, console in
            let command = "billport jobs list"
            let state = try arguments.option("state").map { text throws(UsageError) in
                guard let state = JobState(rawValue: text) else {
                    throw UsageError(command: command, message: "--state must be one of \(JobState.allCases.map(\.rawValue).joined(separator: ", ")) (got '\(text)')")
                }
                return state
            }
            let limit = try number(arguments.option("limit") ?? "50", option: "--limit", command: command, range: 1...1000)
            let before = try arguments.option("before").map { try number($0, option: "--before", command: command, range: 1...Int.max) }
            let jobs = try await context.openJobStore().store.jobs(
                state: state, queue: arguments.option("queue"), kind: arguments.option("kind"), limit: limit, beforeID: before.map(Int64.init))
            var table = TextTable(header: ["ID", "STATE", "QUEUE", "KIND", "ATTEMPTS", "RUN AT", "LAST ERROR"])
            for job in jobs {
                table.rows.append(["\(job.id)", job.state.rawValue, job.queue, job.kind, "\(job.attempts)/\(job.maxAttempts)",
                                   ISO8601.format(job.runAt), job.lastError.map { String($0.prefix(60)) } ?? ""])
            }
            table.rendered.forEach(console.out)
            return 0
        },
        Command(words: ["jobs", "show"], summary: "one job in full",
                spec: CommandSpec(command: "billport jobs show", positionals: ["job ID"]), help: """
            Usage: billport jobs show ID

            Everything stored about one job, including its payload and last error.
            """) { arguments, context, console in
            let id = try number(arguments.positionals[0], option: "job ID", command: "billport jobs show", range: 1...Int.max)
            guard let job = try await context.openJobStore().store.job(id: Int64(id)) else {
                throw StartupError("no job \(id)")
            }
            describe(job).forEach(console.out)
            return 0
        },
        Command(words: ["jobs", "retry"], summary: "run a dead, cancelled or scheduled job again now",
                spec: CommandSpec(command: "billport jobs retry", positionals: ["job ID"]), help: """
            Usage: billport jobs retry ID

            Makes a dead, cancelled or scheduled job ready now (one more attempt if it had none left).
            """) { arguments, context, console in
            let id = try number(arguments.positionals[0], option: "job ID", command: "billport jobs retry", range: 1...Int.max)
            guard let job = try await context.openJobStore().store.retry(id: Int64(id)) else {
                throw StartupError("no job \(id)")
            }
            console.out("job \(job.id) is \(job.state.rawValue) (attempt \(job.attempts + 1) of \(job.maxAttempts) next)")
            return 0
        },
        Command(words: ["jobs", "cancel"], summary: "cancel a scheduled, ready or running job",
                spec: CommandSpec(command: "billport jobs cancel", positionals: ["job ID"]), help: """
            Usage: billport jobs cancel ID

            Cancels a scheduled, ready or running job. A running job's worker stops it at its next heartbeat.
            """) { arguments, context, console in
            let id = try number(arguments.positionals[0], option: "job ID", command: "billport jobs cancel", range: 1...Int.max)
            guard let job = try await context.openJobStore().store.cancel(id: Int64(id)) else {
                throw StartupError("no job \(id)")
            }
            console.out("job \(job.id) is \(job.state.rawValue)")
            return 0
        },
        Command(words: ["jobs", "enqueue"], summary: "enqueue a job (--payload JSON, --queue, --priority, --in, --unique-key, --max-attempts)",
                spec: CommandSpec(command: "billport jobs enqueue",
                                  options: ["payload", "queue", "priority", "in", "unique-key", "max-attempts"], positionals: ["job kind"]),
                help: """
            Usage: billport jobs enqueue KIND [--payload JSON] [--queue NAME] [--priority 0-9] [--in 5m]
                                              [--unique-key KEY] [--max-attempts N]

            Enqueues one job and prints its id, e.g. `billport jobs enqueue diag.sleep --payload '{"ms": 100}'`.
            """) { arguments, context, console in
            let command = "billport jobs enqueue"
            let delay = try arguments.option("in").map { text throws(UsageError) in
                guard let delay = DurationText.parse(text) else {
                    throw UsageError(command: command, message: "--in must be a duration like 30s or 5m (got '\(text)')")
                }
                return delay
            }
            let store = try context.openJobStore().store
            let job: NewJob
            do {
                job = try NewJob(
                    kind: arguments.positionals[0], payloadJSON: arguments.option("payload") ?? "{}",
                    queue: arguments.option("queue") ?? "default",
                    priority: try number(arguments.option("priority") ?? "0", option: "--priority", command: command, range: 0...9),
                    runAt: delay.map { context.clock.now().addingTimeInterval($0.timeInterval) },
                    maxAttempts: try arguments.option("max-attempts").map { try number($0, option: "--max-attempts", command: command, range: 1...1000) },
                    uniqueKey: arguments.option("unique-key"))
            } catch let error as JobValidationError {
                throw UsageError(command: command, message: error.description)
            }
            let result = try await store.enqueue(job)
            console.out(result.inserted ? "enqueued job \(result.id)" : "job \(result.id) with that unique key is already active")
            return 0
        },
        Command(words: ["schedules"], summary: "configured schedules and when each fires next",
                spec: CommandSpec(command: "billport schedules"), help: """
            Usage: billport schedules

            The configured schedules: when each fires (UTC), its job kind, when it last fired and
            when it fires next, and which process leads.
            """) { _, context, console in
            let store = SQLScheduleStore(jobs: try context.openJobStore().store)
            var table = TextTable(header: ["NAME", "WHEN", "KIND", "LAST RUN", "NEXT RUN"])
            for status in ScheduleStatus.of(context.configuration.scheduler.schedules, states: try await store.states(), now: context.clock.now()) {
                table.rows.append([status.name, status.spec, status.kind,
                                   status.lastRunAt.map { ISO8601.format($0) } ?? "-", status.nextRunAt.map { ISO8601.format($0) } ?? "never"])
            }
            table.rendered.forEach(console.out)
            if let leader = try await store.leader(), leader.expiresAt > context.clock.now() {
                console.out("leader: \(leader.holder) (lease until \(ISO8601.format(leader.expiresAt)))")
            } else {
                console.out("leader: none (no scheduler is running)")
            }
            if !context.configuration.schedulerEnabled { console.out("scheduler.enabled is false: `billport serve` does not fire these") }
            return 0
        },
    ]

    static func number(_ text: String, option: String, command: String, range: ClosedRange<Int>) throws(UsageError) -> Int {
        guard let value = Int(text), range.contains(value) else {
            throw UsageError(command: command, message: "\(option) must be a whole number from \(range.lowerBound)\(range.upperBound == Int.max ? " up" : " to \(range.upperBound)") (got '\(text)')")
        }
        return value
    }

    static func describe(_ job: JobRecord) -> [String] {
        let fields: [(String, String?)] = [
            ("id", "\(job.id)"), ("kind", job.kind), ("queue", job.queue), ("state", job.state.rawValue),
            ("priority", "\(job.priority)"), ("attempts", "\(job.attempts) of \(job.maxAttempts)"), ("unique key", job.uniqueKey),
            ("created", ISO8601.format(job.createdAt)), ("run at", ISO8601.format(job.runAt)),
            ("started", job.startedAt.map { ISO8601.format($0) }), ("finished", job.finishedAt.map { ISO8601.format($0) }),
            ("lease", job.leaseOwner.map { "\($0) until \(job.leaseExpiresAt.map { ISO8601.format($0) } ?? "?")" }),
            ("last error", job.lastError), ("payload", job.payload),
        ]
        return fields.compactMap { name, value in value.map { "\(name.padding(toLength: 11, withPad: " ", startingAt: 0)) \($0)" } }
    }
}
