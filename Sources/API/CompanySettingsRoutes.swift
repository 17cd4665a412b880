import Billing
import BillportCore
import HTTPServer

/// `GET/PATCH /api/settings/company`: the seller's legal identity printed on every invoice.
struct CompanySettingsRoutes {
    let stores: BillingStores

    var routes: [Route] {
        [
            Route(.get, "/api/settings/company", .tenant(permission: nil)) { context in
                JSONBody.response(CompanyProfileRepresentation(try await stores.tenants.companyProfile(tenantID: try context.tenantID)))
            },
            Route(.patch, "/api/settings/company", .tenant(permission: .settingsManage)) { context in
                let change = try JSONBody.decode(CompanyProfileChange.self, from: context.request)
                let profile = try await stores.tenants.updateCompanyProfile(tenantID: try context.tenantID) { current in
                    do throws(FieldError) { return try change.applied(to: current) } catch { throw BillingError.invalid(error) }
                }
                return JSONBody.response(CompanyProfileRepresentation(profile))
            },
        ]
    }
}
