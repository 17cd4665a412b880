/// Every metric Billport exposes, in one place so that names, labels and help text stay one
/// list (docs/METRICS.md describes the same). Label values come only from closed sets: route
/// patterns, methods, status classes, queue names, job kinds a worker handles, schedule names
/// from the configuration, outcomes named here.
public enum BillportMetrics {
    static let registry = MetricsRegistry.shared

    // MARK: HTTP

    public static let httpRequests = registry.counter(
        "billport_http_requests_total", "HTTP requests answered, by route pattern, method and status class.",
        labels: ["route", "method", "status_class"], maxSeries: 5_000, hidesUntouched: true)
    public static let httpDuration = registry.histogram(
        "billport_http_request_duration_seconds", "Time from a parsed request to its answer, by route pattern.",
        labels: ["route"], bounds: defaultLatencyBounds, hidesUntouched: true)

    // MARK: Queue and workers

    public static let queueJobs = registry.gauge(
        "billport_queue_jobs", "Jobs by queue and state (ready, scheduled, running, dead), read at scrape time.", labels: ["queue", "state"])
    public static let oldestReadyAge = registry.gauge(
        "billport_queue_oldest_ready_age_seconds", "Time since the oldest ready job of the queue became due; 0 when none is ready.",
        labels: ["queue"])
    public static let jobRuns = registry.counter(
        "billport_job_runs_total", "Job runs finished by this process, by kind and outcome (completed, retry, dead, snoozed, released).",
        labels: ["kind", "outcome"])
    public static let jobRunTime = registry.histogram(
        "billport_job_run_duration_seconds", "Run time of the jobs this process ran, by kind.", labels: ["kind"], bounds: defaultRunTimeBounds)
    public static let jobRetries = registry.counter(
        "billport_job_retries_total", "Failed runs that will be retried later, by kind.", labels: ["kind"])
    public static let jobsDead = registry.counter(
        "billport_jobs_dead_total", "Jobs this process gave up on (dead), by kind.", labels: ["kind"])
    public static let leaseRescues = registry.counter(
        "billport_queue_lease_rescues_total", "Running jobs taken back because their worker stopped renewing the lease.").labels()

    // MARK: Scheduler

    public static let schedulerLeader = registry.gauge(
        "billport_scheduler_leader", "1 while this process's scheduler holds the leader lease, else 0.").labels()
    public static let schedulerFirings = registry.counter(
        "billport_scheduler_firings_total", "Schedules fired by this process, by schedule name.", labels: ["schedule"])
    public static let schedulerLastFiring = registry.gauge(
        "billport_scheduler_last_firing_timestamp_seconds", "Unix time of the last firing by this process, by schedule name.",
        labels: ["schedule"])

    // MARK: Domain

    public static let emails = registry.counter(
        "billport_emails_total", "Invoice emails by outcome (sent, suppressed, failed).", labels: ["outcome"])
    public static let providerEvents = registry.counter(
        "billport_provider_events_total", "Payment provider webhook events by outcome (accepted, duplicate, refused).", labels: ["outcome"])
    public static let webhookDeliveries = registry.counter(
        "billport_webhook_deliveries_total", "Outgoing webhook delivery attempts by outcome (delivered, gone, failed).", labels: ["outcome"])
    public static let viewsRecorded = registry.counter(
        "billport_views_recorded_total", "Buyer opens journaled by this process.").labels()
    public static let viewJournalPending = registry.gauge(
        "billport_view_journal_pending", "Opens in this process's view journal not yet stored in SQLite.").labels()

    // MARK: Process and database

    public static let residentMemory = registry.gauge(
        "billport_process_resident_memory_bytes", "Resident memory of this process (/proc/self/statm).").labels()
    public static let openFDs = registry.gauge(
        "billport_process_open_fds", "Open file descriptors of this process (/proc/self/fd).").labels()
    public static let cpuSeconds = registry.gauge(
        "billport_process_cpu_seconds", "User and system CPU time this process has used (getrusage); use rate().").labels()
    public static let sqliteBytes = registry.gauge(
        "billport_sqlite_file_bytes", "Size of the SQLite database file and of its write-ahead log.", labels: ["file"])
    public static let logLinesDropped = registry.counter(
        "billport_log_lines_dropped_total", "Log lines dropped because the log buffer stayed full.").labels()

    /// Registers every family, so that a scrape lists each metric from the start.
    public static func registerAll() {
        _ = (httpRequests, httpDuration, queueJobs, oldestReadyAge, jobRuns, jobRunTime, jobRetries, jobsDead, leaseRescues)
        _ = (schedulerLeader, schedulerFirings, schedulerLastFiring, emails, providerEvents, webhookDeliveries, viewsRecorded, viewJournalPending)
        _ = (residentMemory, openFDs, cpuSeconds, sqliteBytes, logLinesDropped)
        // Closed outcome sets start at zero, so rate() has a series from the first scrape.
        for outcome in ["sent", "suppressed", "failed"] { _ = emails.labels(outcome) }
        for outcome in ["accepted", "duplicate", "refused"] { _ = providerEvents.labels(outcome) }
        for outcome in ["delivered", "gone", "failed"] { _ = webhookDeliveries.labels(outcome) }
        for file in ["database", "wal"] { _ = sqliteBytes.labels(file) }
    }
}
