import API
import BillportCore
import Documents
import Foundation
import HTTPServer
import Mail
import PDF
import Billing
import Queue
import Scheduler
import Relational
import SQLite
import Worker

/// Everything `billport` reads from `config/billport.json` and `BILLPORT_…` variables,
/// validated once at start and handed to each module as its own configuration struct.
public struct BillportConfiguration: Sendable {
    /// Where the database and generated secrets live.
    public var dataDirectory: String
    /// The SQLite file (default `<dataDirectory>/billport.sqlite`).
    public var databasePath: String
    /// The database Billport runs on: that SQLite file, or PostgreSQL (`database.url`).
    public var databaseSelection: DatabaseSelection = .sqlite(path: "data/billport.sqlite")
    public var database: DatabaseConfiguration
    public var logLevel: Logger.Level
    /// `log.format`: `text` lines for people or `json` objects for log shippers.
    public var logFormat = LogFormat.text
    public var queue: QueueConfiguration
    public var worker: WorkerConfiguration
    public var schedulerEnabled: Bool
    public var scheduler: SchedulerConfiguration
    /// Where the HTTP API listens.
    public var http: HTTPServerConfiguration
    public var api: APIConfiguration
    /// `auth.jwtSecret`; nil means generated once into the data directory.
    public var jwtSecret: String?
    /// Where DejaVuSans.ttf and DejaVuSans-Bold.ttf are.
    public var fontDirectory: String
    /// How many PDF renders run at once and how many may wait (`pdf.renderConcurrency`, `pdf.renderQueue`).
    public var renderPool = RenderPoolSettings()
    /// Repeated opens of one link from one address within this window count once.
    public var viewDedupeWindow: Duration
    /// How mail leaves (SMTP or the outbox folder) and who it is from.
    public var mail = MailConfiguration()
    /// Days after the due date at which `reminders.overdue` reminds.
    public var reminderOffsets = ReminderRule.defaultOffsets
    /// How long raw views and their addresses are kept (`views.retainRaw`, `views.retainAddresses`).
    public var viewRetention = ViewRetention()
    /// How webhooks are sent, retried and kept (`webhooks.*`).
    public var webhookDelivery = WebhookDeliverySettings()
    /// Where `backup.snapshot` writes and how many it keeps (`backup.*`).
    public var backup = BackupSettings(directory: "data/backups")
    /// Where `/metrics` listens; off by default (`metrics.*`).
    public var metrics = MetricsSettings()

    /// The defaults, used where neither the file nor the environment says otherwise.
    public static let defaultSchedules = #"{"jobs.prune": {"every": "1h", "kind": "jobs.prune"}, "views.aggregate": {"every": "1m", "kind": "views.aggregate"}, "links.expire": {"every": "15m", "kind": "links.expire"}, "views.prune": {"every": "1h", "kind": "views.prune"}, "webhooks.prune": {"every": "1h", "kind": "webhooks.prune"}, "reminders.overdue": {"cron": "0 8 * * *", "kind": "reminders.overdue"}}"#

    /// Reads `fileText` (the config file's contents, nil when there is none) with `environment`.
    public static func load(fileText: String?, fileName: String, environment: [String: String]) throws(ConfigError) -> BillportConfiguration {
        var root: [String: JSONValue] = [:]
        if let fileText {
            guard case .object(let members)? = try? JSONValue.parse(fileText) else {
                throw ConfigError(key: "(file)", message: "is not a JSON object", source: "in \(fileName)")
            }
            root = members
        }
        var reader = ConfigReader(root: root, environment: environment, fileName: fileName)

        let dataDirectory = try reader.string("dataDirectory", default: "data")
        let path = try reader.string("database.path", default: "")
        // Each module's own defaults stand where the file and the environment say nothing.
        let databaseDefaults = DatabaseConfiguration()
        let database = DatabaseConfiguration(
            busyTimeout: try reader.duration("database.busyTimeout", default: databaseDefaults.busyTimeout, range: .milliseconds(10) ... .seconds(600)),
            synchronous: try reader.choice("database.synchronous", default: databaseDefaults.synchronous) { $0.rawValue },
            readers: try reader.int("database.readers", default: databaseDefaults.readers, range: 1...64))
        let databaseSelection = try Self.databaseSelection(&reader, path: path, defaultPath: dataDirectory + "/billport.sqlite",
                                                           environment: environment, fileName: fileName)
        let logLevel = try reader.choice("log.level", default: Logger.Level.info) { $0.description }
        let logFormat = try reader.choice("log.format", default: LogFormat.text) { $0.rawValue }

        let queueDefaults = QueueConfiguration()
        let lease = try reader.duration("queue.lease", default: queueDefaults.leaseDuration, range: .seconds(1) ... .seconds(86_400))
        let queue = QueueConfiguration(
            leaseDuration: lease,
            defaultMaxAttempts: try reader.int("queue.maxAttempts", default: queueDefaults.defaultMaxAttempts, range: 1...1000),
            retry: RetryPolicy(
                base: try reader.duration("queue.retryBase", default: queueDefaults.retry.base, range: .milliseconds(1) ... .seconds(86_400)),
                maximum: try reader.duration("queue.retryMax", default: queueDefaults.retry.maximum, range: .milliseconds(1) ... .seconds(30 * 86_400)),
                jitter: try reader.double("queue.retryJitter", default: queueDefaults.retry.jitter, range: 0...1)),
            doneRetention: try reader.duration("queue.keepDone", default: queueDefaults.doneRetention, range: .seconds(60) ... .seconds(3650 * 86_400)),
            deadRetention: try reader.duration("queue.keepDead", default: queueDefaults.deadRetention, range: .seconds(60) ... .seconds(3650 * 86_400)))

        let workerDefaults = WorkerConfiguration()
        var worker = WorkerConfiguration(
            queues: try workerQueues(&reader),
            pollInterval: try reader.duration("worker.pollInterval", default: workerDefaults.pollInterval, range: .milliseconds(1) ... .seconds(60)),
            maxPollInterval: try reader.duration("worker.maxPollInterval", default: workerDefaults.maxPollInterval, range: .milliseconds(1) ... .seconds(300)),
            jobTimeout: try reader.duration("worker.jobTimeout", default: workerDefaults.jobTimeout, range: .milliseconds(10) ... .seconds(86_400)),
            shutdownGracePeriod: try reader.duration("worker.shutdownGrace", default: workerDefaults.shutdownGracePeriod, range: .zero ... .seconds(3600)))
        // Renew well before the lease lapses: three chances per lease.
        worker.heartbeatInterval = min(.seconds(20), lease / 3)

        let schedulerEnabled = try reader.bool("scheduler.enabled", default: true)
        let schedulerDefaults = SchedulerConfiguration()
        let scheduler = SchedulerConfiguration(
            schedules: try schedules(&reader),
            tickInterval: try reader.duration("scheduler.tick", default: schedulerDefaults.tickInterval, range: .milliseconds(10) ... .seconds(60)),
            leaseDuration: try reader.duration("scheduler.lease", default: schedulerDefaults.leaseDuration, range: .seconds(1) ... .seconds(3600)))
        var http = HTTPServerConfiguration()
        http.host = try reader.string("http.host", default: http.host)
        http.port = try reader.int("http.port", default: http.port, range: 0...65_535)
        http.limits.maxBodyBytes = try reader.int("http.maxBodyBytes", default: http.limits.maxBodyBytes, range: 1024...(64 << 20))
        http.maxConnections = try reader.int("http.maxConnections", default: http.maxConnections, range: 1...100_000)
        http.maxConnectionsPerAddress = try reader.int("http.maxConnectionsPerAddress", default: http.maxConnectionsPerAddress, range: 1...100_000)
        http.nearCapacityIdleTimeout = try reader.duration("http.nearCapacityIdleTimeout", default: http.nearCapacityIdleTimeout,
                                                           range: .milliseconds(10) ... .seconds(3600))
        let defaultBase = "http://\(http.host == "0.0.0.0" ? "127.0.0.1" : http.host):\(http.port)"
        let configuredBase = try reader.string("http.publicBaseURL", default: "")
        let publicBaseURL = configuredBase.isEmpty ? defaultBase : configuredBase
        guard let url = URL(string: publicBaseURL), ["http", "https"].contains(url.scheme ?? ""), url.host != nil,
              url.query == nil else {
            throw ConfigError(key: "http.publicBaseURL", message: "must be an http(s) URL like https://billing.example.com (got \"\(publicBaseURL)\")", source: "in \(fileName)")
        }
        let fontDirectory = try reader.string("pdf.fontDirectory", default: PDFInvoiceRenderer.defaultFontDirectory)
        // 0 stands for one render per core.
        let renderConcurrency = try reader.int("pdf.renderConcurrency", default: 0, range: 0...256)
        let renderQueue = try reader.int("pdf.renderQueue", default: RenderPoolSettings().queueLimit, range: 0...100_000)
        let maxLogoPixels = try reader.int("branding.maxLogoPixels", default: LogoPolicy.defaultMaxPixels, range: 10_000...40_000_000)
        let viewDedupeWindow = try reader.duration("views.dedupeWindow", default: .seconds(1800), range: .seconds(0) ... .seconds(86_400))
        // Public rate limits are on for the product, though `APIConfiguration()` leaves them off.
        let perIP = try reader.int("http.rateLimitPerAddress", default: 600, range: 0...1_000_000)
        let perToken = try reader.int("http.rateLimitPerToken", default: 120, range: 0...1_000_000)
        let proxies = try reader.string("http.trustedProxies", default: "")
            .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let jwtSecret = try reader.string("auth.jwtSecret", default: "")
        if !jwtSecret.isEmpty, jwtSecret.utf8.count < 32 {
            throw ConfigError(key: "auth.jwtSecret", message: "must be at least 32 characters (or unset, to generate one)", source: "in \(fileName)")
        }
        let stripeBaseURL = try reader.string("payments.stripeBaseURL", default: APIConfiguration().stripeBaseURL)
        guard let stripe = URL(string: stripeBaseURL), ["http", "https"].contains(stripe.scheme ?? ""), stripe.host != nil,
              !stripeBaseURL.hasSuffix("/") else {
            throw ConfigError(key: "payments.stripeBaseURL", message: "must be an http(s) origin without a trailing slash like https://api.stripe.com (got \"\(stripeBaseURL)\")", source: "in \(fileName)")
        }
        let (mail, reminderOffsets) = try Self.mail(&reader, dataDirectory: dataDirectory, fileName: fileName)
        let (viewRetention, messageQuota) = try Self.retention(&reader)
        let (webhookDestinations, webhookSecretOverlap) = try Self.webhooks(&reader)
        let webhookDelivery = try Self.webhookDelivery(&reader, policy: webhookDestinations)
        let backup = try Self.backup(&reader, dataDirectory: dataDirectory)
        let metrics = try Self.metrics(&reader, fileName: fileName)
        try reader.checkNoUnknownKeys()
        if worker.maxPollInterval < worker.pollInterval {
            throw ConfigError(key: "worker.maxPollInterval", message: "must not be shorter than worker.pollInterval", source: "in \(fileName)")
        }
        if scheduler.leaseDuration <= scheduler.tickInterval * 2 {
            throw ConfigError(key: "scheduler.lease", message: "must be more than twice scheduler.tick, so the leader renews in time", source: "in \(fileName)")
        }
        var configuration = BillportConfiguration(
            dataDirectory: dataDirectory, databasePath: path.isEmpty ? dataDirectory + "/billport.sqlite" : path,
            database: database, logLevel: logLevel, queue: queue, worker: worker, schedulerEnabled: schedulerEnabled,
            scheduler: scheduler, http: http, api: APIConfiguration(publicBaseURL: publicBaseURL, trustedProxies: Set(proxies), rateLimitPerIP: perIP,
                                                              rateLimitPerToken: perToken, stripeBaseURL: stripeBaseURL,
                                                              logoPolicy: LogoPolicy(maxPixels: maxLogoPixels)),
            jwtSecret: jwtSecret.isEmpty ? nil : jwtSecret, fontDirectory: fontDirectory, viewDedupeWindow: viewDedupeWindow)
        configuration.mail = mail
        configuration.databaseSelection = databaseSelection
        configuration.logFormat = logFormat
        configuration.renderPool = RenderPoolSettings(
            concurrency: renderConcurrency == 0 ? ProcessInfo.processInfo.activeProcessorCount : renderConcurrency, queueLimit: renderQueue)
        configuration.reminderOffsets = reminderOffsets
        configuration.viewRetention = viewRetention
        configuration.api.messageQuota = messageQuota
        configuration.api.webhookDestinations = webhookDestinations
        configuration.api.webhookSecretOverlap = webhookSecretOverlap
        configuration.webhookDelivery = webhookDelivery
        configuration.backup = backup
        configuration.metrics = metrics
        return configuration
    }

    /// `worker.queues`: `{"default": 10, "mail": 4, "webhooks": 8}`, or `default=10,mail=4,webhooks=8` in the environment.
    private static func workerQueues(_ reader: inout ConfigReader) throws(ConfigError) -> [String: Int] {
        let key = "worker.queues"
        guard let (members, source) = try reader.objectOrPairs(key) else { return WorkerConfiguration().queues }
        var queues: [String: Int] = [:]
        for (name, value) in members {
            guard (try? NewJob(kind: "check", payloadJSON: "{}", queue: name)) != nil else {
                throw ConfigError(key: "\(key).\(name)", message: "is not a valid queue name (a-z, 0-9, '.', '_', '-')", source: source)
            }
            guard case .integer(let count) = value, (1...1000).contains(count) else {
                throw ConfigError(key: "\(key).\(name)", message: "must be a whole number of concurrent jobs from 1 to 1000 (got \(value))", source: source)
            }
            queues[name] = Int(count)
        }
        guard !queues.isEmpty else { throw ConfigError(key: key, message: "must name at least one queue", source: source) }
        return queues
    }

    /// `scheduler.schedules`: name → `{"every": "5m" | "cron": "0 8 * * *", "kind", "payload", "queue", "priority"}`.
    private static func schedules(_ reader: inout ConfigReader) throws(ConfigError) -> [Schedule] {
        let key = "scheduler.schedules"
        let (members, source) = try reader.object(key) ?? (try! JSONValue.parse(defaultSchedules).objectMembers!, "default")
        var schedules: [Schedule] = []
        for name in members.keys.sorted() {
            let path = "\(key).\(name)"
            guard case .object(let fields) = members[name]! else {
                throw ConfigError(key: path, message: "must be an object like {\"every\": \"1h\", \"kind\": \"jobs.prune\"}", source: source)
            }
            if let unknown = fields.keys.sorted().first(where: { !["every", "cron", "kind", "payload", "queue", "priority"].contains($0) }) {
                throw ConfigError(key: "\(path).\(unknown)", message: "is not a schedule field (every, cron, kind, payload, queue, priority)", source: source)
            }
            let spec: ScheduleSpec
            switch (fields["every"], fields["cron"]) {
            case (.string(let text)?, nil):
                guard let interval = DurationText.parse(text), interval >= .seconds(1) else {
                    throw ConfigError(key: "\(path).every", message: "must be a duration of at least 1s like \"5m\" (got \"\(text)\")", source: source)
                }
                spec = .every(interval)
            case (nil, .string(let text)?):
                do {
                    spec = .cron(try CronExpression(text))
                } catch {
                    throw ConfigError(key: "\(path).cron", message: error.description, source: source)
                }
            default:
                throw ConfigError(key: path, message: "needs exactly one of \"every\" (a duration) or \"cron\" (5 fields, UTC)", source: source)
            }
            guard case .string(let kind)? = fields["kind"] ?? .string(name) else {
                throw ConfigError(key: "\(path).kind", message: "must be a string", source: source)
            }
            guard case .string(let queue)? = fields["queue"] ?? .string("default") else {
                throw ConfigError(key: "\(path).queue", message: "must be a string", source: source)
            }
            guard case .integer(let priority)? = fields["priority"] ?? .integer(0) else {
                throw ConfigError(key: "\(path).priority", message: "must be a whole number from 0 to 9", source: source)
            }
            do {
                schedules.append(try Schedule(name: name, spec: spec, kind: kind, payloadJSON: (fields["payload"] ?? .object([:])).description,
                                              queue: queue, priority: Int(priority)))
            } catch {
                throw ConfigError(key: "\(path).\(error.field)", message: error.message, source: source)
            }
        }
        return schedules
    }
}

extension JSONValue {
    var objectMembers: [String: JSONValue]? {
        if case .object(let members) = self { return members }
        return nil
    }
}

extension ConfigReader {
    /// An object, also accepted from the environment as `name=value,name=value`.
    mutating func objectOrPairs(_ key: String) throws(ConfigError) -> (members: [String: JSONValue], source: String)? {
        do {
            return try object(key)
        } catch {
            let variable = Self.environmentName(for: key)
            guard let text = environmentText(key) else { throw error }
            var members: [String: JSONValue] = [:]
            for pair in text.split(separator: ",") {
                let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2 else { throw error }
                members[parts[0]] = Int64(parts[1]).map(JSONValue.integer) ?? .string(parts[1])
            }
            return (members, "from \(variable)")
        }
    }
}
