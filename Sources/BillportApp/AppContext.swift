import API
import BillportCore
import Documents
import Foundation
import HTTPServer
import Mail
import Billing
import BillingJobs
import BillingStore
import Queue
import Scheduler
import Relational
import SQLite
import Tokens
import Worker

/// What every command shares: the validated configuration, the logger, and how to open the
/// database with every module's migrations applied.
struct AppContext {
    let configuration: BillportConfiguration
    let logger: Logger
    let clock: any WallClock = SystemClock()

    /// Every module's migrations, in the order they apply.
    static let migrations = QueueSchema.migrations + SchedulerSchema.migrations + BillingSchema.migrations + AppSchema.migrations

    /// Opens the database file, creating the data directory (mode 0700: it will hold secrets) and
    /// tightening the modes of what is already there.
    func openDatabase() throws -> Database {
        try refuseOnPostgres()
        try createDatabaseDirectory()
        tightenFileModes()
        let database: Database
        do {
            database = try Database(path: configuration.databasePath, configuration: configuration.database)
        } catch {
            throw StartupError("cannot open the database \(configuration.databasePath): \(error)")
        }
        do {
            let applied = try Migrator.migrate(database, migrations: Self.migrations, now: clock.now())
            if !applied.isEmpty { logger.info("database migrated", ["applied": applied.joined(separator: ",")]) }
        } catch {
            throw StartupError("cannot migrate the database \(configuration.databasePath): \(error)")
        }
        return database
    }

    /// Creates the database's directory (mode 0700: it will hold secrets) when missing.
    func createDatabaseDirectory() throws {
        let directory = (configuration.databasePath as NSString).deletingLastPathComponent
        guard !directory.isEmpty, !FileManager.default.fileExists(atPath: directory) else { return }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw StartupError("cannot create the data directory \(directory): \(error.localizedDescription)")
        }
    }

    /// Narrows files that existed before with wider modes (see `PrivateFiles`); what cannot be
    /// narrowed (another owner's file) is logged and does not stop the start.
    func tightenFileModes() {
        let outbox = configuration.mail.transport == .outbox ? configuration.mail.outboxDirectory : nil
        for failure in PrivateFiles.tighten(dataDirectory: configuration.dataDirectory, databasePath: configuration.databasePath,
                                            outboxDirectory: outbox) {
            logger.warning("cannot make a file private to billport", ["file": failure])
        }
    }

    func jobStore(_ database: Database) -> SQLiteJobStore {
        SQLiteJobStore(database: database, configuration: configuration.queue, clock: clock)
    }

    /// Every handler a Billport worker runs: the runtime's own (`jobs.prune`, `diag.*`) and
    /// the billing jobs.
    func handlers(storage: AppStorage, store: any SQLJobStore, renderPool: PDFRenderPool) throws -> JobHandlers {
        let stores = billingStores(jobs: store)
        let pdfs = InvoicePDFService(store: stores.documents, pool: renderPool)
        var handlers = JobHandlers()
        handlers.registerBuiltins(store: store, configuration: configuration.queue)
        handlers.registerBackup(storage: storage, settings: configuration.backup)
        handlers.registerDocuments(pdfs: pdfs)
        handlers.registerViewAggregation(views: stores.views, window: configuration.viewDedupeWindow)
        handlers.registerLinkExpiry(links: stores.links)
        handlers.registerViewRetention(views: stores.views, retention: configuration.viewRetention)
        handlers.registerEmail(stores: stores, pdfs: pdfs, sender: try mailSender(), settings: try emailSettings(secrets: storage.secrets(dataDirectory: configuration.dataDirectory)))
        handlers.registerPayments(payments: stores.payments, beforeCommit: Self.diagnosticApplyPause())
        handlers.registerWebhookDelivery(store: stores.webhookEndpoints, settings: configuration.webhookDelivery)
        handlers.registerWebhookDisabledNotice(stores: stores, sender: try mailSender(), from: configuration.mail.defaultFrom,
                                               publicBaseURL: configuration.api.publicBaseURL)
        return handlers
    }

    /// `BILLPORT_DIAG_PAYMENT_APPLY_PAUSE` (a duration such as `30s`): for the crash test only,
    /// the worker holds each payment event's transaction open that long before committing, so
    /// a test can kill it mid-apply. Unset in any real deployment.
    static func diagnosticApplyPause(environment: [String: String] = ProcessInfo.processInfo.environment) -> (@Sendable () -> Void)? {
        guard let text = environment["BILLPORT_DIAG_PAYMENT_APPLY_PAUSE"], let pause = DurationText.parse(text) else { return nil }
        return { Thread.sleep(forTimeInterval: pause.timeInterval) }
    }

    func workerPool(storage: AppStorage, store: any SQLJobStore, renderPool: PDFRenderPool) throws -> WorkerPool {
        WorkerPool(store: store, handlers: try handlers(storage: storage, store: store, renderPool: renderPool), configuration: configuration.worker,
                   retryPolicy: configuration.queue.retry, clock: clock, logger: logger)
    }

    /// The billing stores enqueuing through `jobs`: give the process's one job store, so that
    /// jobs they enqueue wake this process's workers at once.
    func billingStores(jobs: any SQLJobStore) -> BillingStores {
        .sql(BillingStoreContext(database: jobs.sqlDatabase, clock: clock, jobs: jobs))
    }

    /// The configured mail transport behind an async sender (one per worker process, so SMTP
    /// connections are reused across messages).
    func mailSender() throws -> MailSender {
        do {
            return MailSender(transport: try configuration.mail.makeTransport())
        } catch {
            throw StartupError("cannot set up mail: \(error)")
        }
    }

    /// Who mail comes from and how its links are made; the unsubscribe key is generated once.
    func emailSettings(secrets: Secrets.Store) throws -> EmailSettings {
        let key = try Secrets.generated(name: "unsubscribe.key", in: secrets)
        return EmailSettings(from: configuration.mail.defaultFrom, publicBaseURL: configuration.api.publicBaseURL,
                      unsubscribeTokens: UnsubscribeTokens(key: key),
                      unsubscribeMailto: configuration.mail.unsubscribeMailto, reminderOffsets: configuration.reminderOffsets)
    }

    /// Signs and verifies API tokens with the server's key (configured, or generated once into
    /// `secrets`: the data directory unless given).
    func jwtSigner(secrets: Secrets.Store? = nil) throws -> JWTSigner {
        JWTSigner(key: try Secrets.jwtKey(configured: configuration.jwtSecret, store: try secrets ?? defaultSecrets()))
    }

    /// The invoice PDF renderer with its fonts loaded (once per process).
    func renderer() throws -> PDFInvoiceRenderer {
        do {
            return try PDFInvoiceRenderer(fontDirectory: configuration.fontDirectory, logoPolicy: configuration.api.logoPolicy, logger: logger)
        } catch {
            throw StartupError("\(error)")
        }
    }

    /// The process's one render pool: the API and the workers share its bound.
    func renderPool(_ renderer: PDFInvoiceRenderer) -> PDFRenderPool {
        PDFRenderPool(renderer: renderer, settings: configuration.renderPool, logger: logger)
    }

    /// Records buyers' opens through a journal in the data directory.
    func viewRecorder(jobs: any SQLJobStore) -> ViewRecorder {
        ViewRecorder(store: billingStores(jobs: jobs).views, directory: configuration.dataDirectory, logger: logger)
    }

    func httpService(jobs: any SQLJobStore, renderPool: PDFRenderPool, views: ViewRecorder, secrets: Secrets.Store) throws -> HTTPService {
        let api = BillportAPI(stores: billingStores(jobs: jobs), jobs: jobs, signer: try jwtSigner(secrets: secrets), configuration: configuration.api,
                              renderer: renderPool.renderer, renderPool: renderPool, views: views, clock: clock, logger: logger)
        var http = configuration.http
        let log = logger.labelled("http")
        http.log = { message in log.warning(message) }
        return HTTPService(server: HTTPServer(configuration: http, handler: api.handler), logger: logger,
                           publicBaseURL: configuration.api.publicBaseURL)
    }

    func scheduler(store: any SQLJobStore) -> SchedulerService {
        SchedulerService(store: SQLScheduleStore(jobs: store), configuration: configuration.scheduler, clock: clock, logger: logger)
    }
}

/// A failure before any work starts (database, data directory): one line, exit status 1.
struct StartupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The HTTP server as a service: listens at start, drains in-flight requests at shutdown.
struct HTTPService: Service {
    let name = "http"
    let server: HTTPServer
    let logger: Logger
    let publicBaseURL: String
    /// How long in-flight requests may take to finish once shutdown begins.
    static let drainGracePeriod: Duration = .seconds(10)

    func run(until shutdown: ShutdownSignal) async throws {
        let port: Int
        do {
            port = try server.start()
        } catch {
            throw StartupError("cannot listen for HTTP: \(error)")
        }
        logger.info("http listening", ["port": "\(port)", "publicBaseURL": publicBaseURL])
        await shutdown.wait()
        await server.shutdown(gracePeriod: Self.drainGracePeriod)
    }
}
