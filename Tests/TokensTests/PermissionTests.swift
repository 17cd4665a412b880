import Testing
import Tokens

@Suite struct PermissionTests {
    /// The names are what tokens already in use carry: they must never change.
    @Test func knownPermissionsKeepTheirNames() {
        #expect(Permission.all.map(\.rawValue) == ["invoices:write", "invoices:manage", "settings:manage"])
        #expect(Permission.all.allSatisfy { $0.isKnown })
        #expect(!Permission(rawValue: "invoices:delete").isKnown)
        #expect(Permission(rawValue: "settings:manage") == .settingsManage)
        #expect("\(Permission.invoicesWrite)" == "invoices:write")
        let literal: Permission = "invoices:manage"
        #expect(literal == .invoicesManage)
    }
}
