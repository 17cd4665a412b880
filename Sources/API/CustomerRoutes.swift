import BillportCore
import Foundation
import HTTPServer
import Billing

/// The tenant's customer records beyond creating and reading one: the list with its search,
/// partial updates, deletion and erasure of personal data.
struct CustomerRoutes {
    let stores: BillingStores

    var routes: [Route] {
        [
            Route(.get, "/api/customers", .tenant(permission: nil)) { context in
                try context.requireKnownQuery(["limit", "before", "q"])
                let limit = Int(try context.queryInt("limit", default: 50, range: 1...200) ?? 50)
                let search = try context.request.queryValue("q").map { try CustomerSearch($0) }
                let page = try await stores.customers.customers(tenantID: try context.tenantID, search: search, limit: limit,
                                                                beforeID: try context.queryInt("before", default: nil, range: 1...Int64.max))
                struct Page: Encodable { let data: [CustomerRepresentation]; let nextBefore: Int64? }
                return JSONBody.response(Page(data: page.customers.map(CustomerRepresentation.init), nextBefore: page.nextBefore))
            },
            Route(.patch, "/api/customers/{id}", .tenant(permission: .invoicesWrite)) { context in
                let change = try JSONBody.decode(CustomerChange.self, from: context.request)
                let customer = try await stores.customers.updateCustomer(tenantID: try context.tenantID, id: try context.id("id", "customer"), change)
                return JSONBody.response(CustomerRepresentation(customer))
            },
            Route(.delete, "/api/customers/{id}", .tenant(permission: .invoicesWrite)) { context in
                try await stores.customers.deleteCustomer(tenantID: try context.tenantID, id: try context.id("id", "customer"))
                return HTTPResponse(status: 204)
            },
            Route(.post, "/api/customers/{id}/erase", .tenant(permission: .invoicesManage)) { context in
                let customer = try await stores.customers.eraseCustomer(tenantID: try context.tenantID, id: try context.id("id", "customer"))
                return JSONBody.response(CustomerRepresentation(customer))
            },
        ]
    }
}
