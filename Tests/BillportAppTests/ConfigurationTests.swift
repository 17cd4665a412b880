@testable import BillportApp
import BillportCore
import Documents
import Foundation
import Queue
import Scheduler
import Testing

@Suite struct ConfigurationTests {
    func load(_ file: String? = nil, _ environment: [String: String] = [:]) throws -> BillportConfiguration {
        try BillportConfiguration.load(fileText: file, fileName: "test.json", environment: environment)
    }

    func error(_ file: String? = nil, _ environment: [String: String] = [:]) -> String {
        do {
            _ = try load(file, environment)
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    @Test func runsWithNoFileAndNoVariables() throws {
        let configuration = try load()
        #expect(configuration.databasePath == "data/billport.sqlite")
        #expect(configuration.database.synchronous == .normal)
        #expect(configuration.database.readers == 4)
        #expect(configuration.worker.queues == ["default": 10, "mail": 4, "webhooks": 8])
        #expect(configuration.queue.leaseDuration == .seconds(60))
        #expect(configuration.scheduler.schedules.map(\.name) == ["jobs.prune", "links.expire", "reminders.overdue", "views.aggregate", "views.prune", "webhooks.prune"])
    }

    @Test func theShippedConfigFileLoadsAndMatchesTheDefaults() throws {
        let text = try String(contentsOfFile: "config/billport.json", encoding: .utf8)
        let shipped = try load(text)
        let defaults = try load()
        #expect(shipped.databasePath == defaults.databasePath)
        #expect(shipped.database == defaults.database)
        #expect(shipped.queue == defaults.queue)
        #expect(shipped.worker.queues == defaults.worker.queues)
        #expect(shipped.worker.jobTimeout == defaults.worker.jobTimeout)
        #expect(shipped.scheduler.schedules == defaults.scheduler.schedules)
    }

    @Test func environmentOverridesTheFile() throws {
        let configuration = try load(#"{"worker": {"jobTimeout": "5m"}, "database": {"synchronous": "normal"}}"#, [
            "BILLPORT_WORKER_JOB_TIMEOUT": "30s",
            "BILLPORT_DATABASE_SYNCHRONOUS": "FULL",
            "BILLPORT_WORKER_QUEUES": "default=4,mail=2",
            "BILLPORT_QUEUE_MAX_ATTEMPTS": "5",
            "BILLPORT_SCHEDULER_ENABLED": "false",
            "BILLPORT_DATABASE_PATH": "/tmp/x.sqlite",
            "BILLPORT_DATABASE_READERS": "2",
        ])
        #expect(configuration.worker.jobTimeout == .seconds(30))
        #expect(configuration.database.synchronous == .full)
        #expect(configuration.worker.queues == ["default": 4, "mail": 2])
        #expect(configuration.queue.defaultMaxAttempts == 5)
        #expect(configuration.schedulerEnabled == false)
        #expect(configuration.databasePath == "/tmp/x.sqlite")
        #expect(configuration.database.readers == 2)
    }

    @Test func logoAndRenderPoolSettingsHaveDefaultsAndOverrides() throws {
        let defaults = try load(try String(contentsOfFile: "config/billport.json", encoding: .utf8))
        #expect(defaults.api.logoPolicy.maxPixels == 4_000_000)
        #expect(defaults.renderPool.concurrency == ProcessInfo.processInfo.activeProcessorCount)
        #expect(defaults.renderPool.queueLimit == 64)
        let set = try load(nil, ["BILLPORT_BRANDING_MAX_LOGO_PIXELS": "1000000", "BILLPORT_PDF_RENDER_CONCURRENCY": "3",
                                 "BILLPORT_PDF_RENDER_QUEUE": "0"])
        #expect(set.api.logoPolicy.maxPixels == 1_000_000)
        #expect(set.renderPool == RenderPoolSettings(concurrency: 3, queueLimit: 0))
        #expect(error(nil, ["BILLPORT_BRANDING_MAX_LOGO_PIXELS": "100000000"])
                == "config branding.maxLogoPixels: must be a whole number from 10000 to 40000000 (got 100000000) (from BILLPORT_BRANDING_MAX_LOGO_PIXELS)")
    }

    @Test func environmentNamesFollowTheKeys() {
        #expect(ConfigReader.environmentName(for: "worker.jobTimeout") == "BILLPORT_WORKER_JOB_TIMEOUT")
        #expect(ConfigReader.environmentName(for: "dataDirectory") == "BILLPORT_DATA_DIRECTORY")
        #expect(ConfigReader.environmentName(for: "http.publicBaseURL") == "BILLPORT_HTTP_PUBLIC_BASE_URL")
        #expect(ConfigReader.environmentName(for: "mail.startTLS") == "BILLPORT_MAIL_START_TLS")
        #expect(ConfigReader.environmentName(for: "payments.stripeBaseURL") == "BILLPORT_PAYMENTS_STRIPE_BASE_URL")
        #expect(ConfigReader.environmentName(for: "http.rateLimitPerAddress") == "BILLPORT_HTTP_RATE_LIMIT_PER_ADDRESS")
    }

    @Test func badValuesGiveOneLineNamingTheKeyAndItsSource() {
        #expect(error(nil, ["BILLPORT_WORKER_JOB_TIMEOUT": "ten"])
                == #"config worker.jobTimeout: must be a duration like "30s", "5m" or "2h" from 10ms to 1d (got "ten") (from BILLPORT_WORKER_JOB_TIMEOUT)"#)
        #expect(error(#"{"queue": {"maxAttempts": 0}}"#)
                == "config queue.maxAttempts: must be a whole number from 1 to 1000 (got 0) (in test.json)")
        #expect(error(#"{"database": {"synchronous": "sometimes"}}"#)
                == #"config database.synchronous: must be one of normal, full (got "sometimes") (in test.json)"#)
        #expect(error(#"{"worker": {"queues": {"default": "many"}}}"#)
                == #"config worker.queues.default: must be a whole number of concurrent jobs from 1 to 1000 (got "many") (in test.json)"#)
        #expect(error("[1, 2]") == "config (file): is not a JSON object (in test.json)")
    }

    @Test func aMisspeltKeyIsAnErrorButUnderscoreKeysAreComments() {
        #expect(error(#"{"worker": {"jobTimeOut": "5m"}}"#) == "config worker.jobTimeOut: is not a configuration key (in test.json)")
        #expect(error(#"{"_comment": "hello", "worker": {"_note": 1}}"#) == "no error")
    }

    @Test func anInvalidCronExpressionIsRejectedWithItsReason() {
        let message = error(#"{"scheduler": {"schedules": {"nightly": {"cron": "0 25 * * *", "kind": "reminders.overdue"}}}}"#)
        #expect(message.hasPrefix(#"config scheduler.schedules.nightly.cron: cron "0 25 * * *": hour field"#))
        #expect(message.hasSuffix("(in test.json)"))
    }

    @Test func schedulesNeedExactlyOneTimingAndAValidJob() {
        #expect(error(#"{"scheduler": {"schedules": {"x": {"kind": "a.b"}}}}"#)
                == #"config scheduler.schedules.x: needs exactly one of "every" (a duration) or "cron" (5 fields, UTC) (in test.json)"#)
        #expect(error(#"{"scheduler": {"schedules": {"x": {"every": "1h", "kind": "Not Valid"}}}}"#)
                .hasPrefix("config scheduler.schedules.x.kind: must be 1 to 100 characters"))
        #expect(error(#"{"scheduler": {"schedules": {"x": {"every": "1h", "colour": "red"}}}}"#)
                == "config scheduler.schedules.x.colour: is not a schedule field (every, cron, kind, payload, queue, priority) (in test.json)")
    }

    @Test func schedulesReadTheirFields() throws {
        let configuration = try load(#"""
            {"scheduler": {"schedules": {
                "reminders": {"cron": "0 8 * * 1-5", "kind": "reminders.overdue", "queue": "mail", "priority": 2, "payload": {"days": 3}},
                "views.aggregate": {"every": "5m"}
            }}}
            """#)
        let schedules = configuration.scheduler.schedules
        #expect(schedules.map(\.name) == ["reminders", "views.aggregate"])
        #expect(schedules[0].spec == .cron(try CronExpression("0 8 * * 1-5")))
        #expect(schedules[0].queue == "mail")
        #expect(schedules[0].priority == 2)
        #expect(schedules[0].payloadJSON == #"{"days":3}"#)
        #expect(schedules[1].kind == "views.aggregate")
        #expect(schedules[1].spec == .every(.seconds(300)))
    }

    @Test func heartbeatsRenewWellWithinTheLease() throws {
        #expect(try load(nil, ["BILLPORT_QUEUE_LEASE": "3s"]).worker.heartbeatInterval == .seconds(1))
        #expect(try load().worker.heartbeatInterval == .seconds(20))
    }
}
