import BillportCore
import Foundation
import PostgreSQL
import Queue
import Worker

/// `serve`, `worker`, `scheduler`, `migrate`: the long-running roles and start-up.
enum ServeCommands {
    static let all: [Command] = [
        Command(words: ["serve"], summary: "run everything in one process: HTTP API, workers and the scheduler",
                spec: CommandSpec(command: "billport serve"), help: """
            Usage: billport serve [--config PATH]

            Runs everything in one process: the HTTP API (http.host:http.port), job workers for
            every configured queue and the scheduler (which fires only while this process holds
            the leader lease). SIGTERM or
            SIGINT stops claiming, lets running jobs finish for worker.shutdownGrace, gives the
            rest back to the queue and exits; a second signal exits at once. The roles stop one
            after the other: HTTP (in-flight requests finish), the view recorder's last flush,
            the scheduler, the workers; whatever still runs worker.shutdownGrace + 30s after the
            signal is cancelled and serve exits 1. With metrics.port set, every role answers
            GET /metrics (Prometheus) on metrics.host:metrics.port, apart from the API.
            """) { _, context, console in
            try await runServices(context, console: console, http: true, worker: true, scheduler: context.configuration.schedulerEnabled)
        },
        Command(words: ["api"], summary: "run the HTTP API only (with billport worker and billport scheduler beside it)",
                spec: CommandSpec(command: "billport api"), help: """
            Usage: billport api [--config PATH]

            Runs the HTTP API only (http.host:http.port) and its view recorder, for a host that
            runs its roles as separate processes: the jobs it enqueues are run by billport worker
            processes on the same database file (they find them at their next poll), schedules
            are fired by billport scheduler. SIGTERM or SIGINT stops as serve does.
            """) { _, context, console in
            try await runServices(context, console: console, http: true, worker: false, scheduler: false)
        },
        Command(words: ["worker"], summary: "run job workers only",
                spec: CommandSpec(command: "billport worker", options: ["queues"]), help: """
            Usage: billport worker [--queues default=10,mail=4,webhooks=8] [--config PATH]

            Runs job workers only. --queues overrides worker.queues: the queues to serve and how
            many jobs of each run at once. Several worker processes may share one database file.
            """) { arguments, context, console in
            var context = context
            if let queues = arguments.option("queues") {
                context = try context.overriding(queues: queues)
            }
            return try await runServices(context, console: console, http: false, worker: true, scheduler: false)
        },
        Command(words: ["scheduler"], summary: "run the scheduler only (one leader across processes)",
                spec: CommandSpec(command: "billport scheduler"), help: """
            Usage: billport scheduler [--config PATH]

            Runs the scheduler only. Any number may run; one leads (a lease row in the database)
            and fires schedules, another takes over within scheduler.lease if the leader dies.
            """) { _, context, console in
            try await runServices(context, console: console, http: false, worker: false, scheduler: true)
        },
        Command(words: ["migrate"], summary: "apply database migrations and exit", spec: CommandSpec(command: "billport migrate"), help: """
            Usage: billport migrate [--config PATH]

            Applies pending database migrations and exits. Every other command does this too.
            Migrates the SQLite file at database.path, or the PostgreSQL database of database.url
            (the output names host, port and database, never the user or password).
            """) { _, context, console in
            _ = try context.openStorage()
            switch context.configuration.databaseSelection {
            case .sqlite(let path): console.out("database \(path) is up to date")
            case .postgres(let target): console.out("database \(target) (PostgreSQL) is up to date")
            }
            return 0
        },
    ]

    static func runServices(_ context: AppContext, console: Console, http: Bool, worker: Bool, scheduler: Bool) async throws -> Int32 {
        // Held until this function returns: `billport restore` refuses while it is held (SQLite).
        try context.createDatabaseDirectory()
        var running: DatabaseLock?
        if case .sqlite = context.configuration.databaseSelection {
            running = try DatabaseLock(databasePath: context.configuration.databasePath, .shared)
        }
        defer { withExtendedLifetime(running) {} }
        let (storage, store) = try context.openJobStore()
        let secrets = storage.secrets(dataDirectory: context.configuration.dataDirectory)
        // On PostgreSQL, a write on any host ends every host's buyer-facing answer cache, and an
        // enqueue on any host wakes this host's workers (polling stays the fallback).
        var listener: PostgresJobListener?
        if case .postgres(let database) = storage, let postgres = store as? PostgresJobStore {
            try database.shareCommitCount()
            listener = PostgresJobListener(connectionString: database.connectionString, notifier: postgres.notifier, logger: context.logger)
        }
        let renderPool = (http || worker) ? context.renderPool(try context.renderer()) : nil
        var front: [any Service] = []
        if http, let renderPool {
            let views = context.viewRecorder(jobs: store)
            front = [views, try context.httpService(jobs: store, renderPool: renderPool, views: views, secrets: secrets)]
        }
        // Start order, so that shutdown stops them the other way round: the workers first (they
        // take what everything else enqueues, so they stop last and their grace period starts
        // only once nothing enqueues any more), then the scheduler, the view recorder, and the
        // HTTP server last (it stops first: no new requests, and the views recorded while it
        // drains still get the recorder's last flush).
        var services: [any Service] = []
        // First started, last stopped: a scrape still answers while the others drain.
        let console = context.makeOperatorConsole(jobs: store, allowedHostNames: ["localhost", context.configuration.metrics.host])
        if let metrics = context.metricsListener(store: store, fallback: { await console.handle($0) }) { services.append(metrics) }
        if worker, let renderPool {
            if let listener { services.append(listener) }
            services.append(try context.workerPool(storage: storage, store: store, renderPool: renderPool))
        }
        if scheduler { services.append(context.scheduler(store: store)) }
        services += front
        let shutdown = ShutdownSignal()
        let trap = SignalTrap(shutdown: shutdown, logger: context.logger)
        context.logger.info("billport started", [
            "database": "\(context.configuration.databaseSelection)",
            "roles": [http ? "http" : nil, worker ? "worker" : nil, scheduler ? "scheduler" : nil].compactMap { $0 }.joined(separator: ","),
        ])
        try await ServiceGroup(services: services, shutdownDeadline: shutdownDeadline(context.configuration), logger: context.logger)
            .run(until: shutdown)
        withExtendedLifetime(trap) {}
        return 0
    }

    /// One deadline for the whole ordered stop: the HTTP drain, the workers' grace period and the
    /// time they then have to write outcomes (`WorkerPool`), and a margin for the view recorder's
    /// last flush and the scheduler's resignation. Past it, `serve` cancels what still runs and
    /// exits 1 naming it.
    static func shutdownDeadline(_ configuration: BillportConfiguration) -> Duration {
        HTTPService.drainGracePeriod + configuration.worker.shutdownGracePeriod + .seconds(20)
    }
}

extension AppContext {
    /// This context with `worker.queues` replaced by `--queues name=count,…`.
    func overriding(queues text: String) throws -> AppContext {
        let configuration = try BillportConfiguration.load(
            fileText: nil, fileName: "--queues", environment: ["BILLPORT_WORKER_QUEUES": text])
        var updated = self.configuration
        updated.worker.queues = configuration.worker.queues
        return AppContext(configuration: updated, logger: logger)
    }
}
