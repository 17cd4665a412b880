@testable import BillportApp
import BillportCore
import Foundation
import Relational
import TestSupport
import Testing

/// The configured backend opened with its migrations, and the stores on it.
@Suite struct AppStorageTests {
    @Test func onSQLiteTheStoresRunOnTheConfiguredFileWithTheSecretsTable() async throws {
        let directory = TemporaryDirectory()
        let configuration = try BillportConfiguration.load(fileText: nil, fileName: "test.json", environment: ["BILLPORT_DATA_DIRECTORY": directory.path])
        let context = AppContext(configuration: configuration, logger: Logger(label: "test", level: .error, handler: InMemoryLogHandler()))
        let storage = try context.openStorage()
        let stores = context.billingStores(jobs: try storage.jobStore(configuration: configuration.queue, clock: context.clock))
        _ = try await stores.tenants.createTenant(slug: "acme", name: "Acme GmbH")
        #expect(try await stores.tenants.tenant(slug: "acme")?.name == "Acme GmbH")
        let applied = try storage.database.readBlocking { db in try db.query("SELECT id FROM schema_migrations WHERE id LIKE 'app.%'") { $0.string(0) } }
        #expect(applied == ["app.001_secrets"])
        #expect(FileManager.default.fileExists(atPath: directory.file("billport.sqlite")))
    }
}
