@testable import BillportApp
import Billing
import Documents
import Queue
import Scheduler
import Relational
import SQLite
import Testing

/// With no file and no environment, each module gets the defaults it declares itself.
@Suite struct ConfigurationDefaultsTests {
    @Test func anEmptyConfigurationTakesEachModulesOwnDefaults() throws {
        let configuration = try BillportConfiguration.load(fileText: nil, fileName: "test.json", environment: [:])
        #expect(configuration.database == DatabaseConfiguration())
        #expect(configuration.queue == QueueConfiguration())
        let scheduler = SchedulerConfiguration()
        #expect(configuration.scheduler.tickInterval == scheduler.tickInterval)
        #expect(configuration.scheduler.leaseDuration == scheduler.leaseDuration)
        #expect(configuration.renderPool.queueLimit == RenderPoolSettings().queueLimit)
        #expect(configuration.fontDirectory == PDFInvoiceRenderer.defaultFontDirectory)
        #expect(configuration.reminderOffsets == ReminderRule.defaultOffsets)
        #expect(configuration.api.stripeBaseURL == "https://api.stripe.com")
        #expect(configuration.http.port == 8080)
    }
}
