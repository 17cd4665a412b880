import BillportCore
import Foundation
import HTTPServer
import Billing

/// The tenant's side of what the portal shows beside invoices: sales orders, and the inbox of
/// messages customers wrote from their portal.
struct CustomerRecordRoutes {
    let stores: BillingStores

    var routes: [Route] {
        [
            Route(.post, "/api/sales-orders", .tenant(permission: .invoicesWrite)) { context in
                let draft = try JSONBody.decode(SalesOrderDraft.self, from: context.request)
                return JSONBody.response(status: 201, SalesOrderBody(try await stores.salesOrders.createSalesOrder(tenantID: try context.tenantID, draft)))
            },
            Route(.get, "/api/sales-orders", .tenant(permission: nil)) { context in
                try context.requireKnownQuery(["customerId", "limit", "before"])
                let limit = Int(try context.queryInt("limit", default: 50, range: 1...200) ?? 50)
                let orders = try await stores.salesOrders.salesOrders(
                    tenantID: try context.tenantID, customerID: try context.queryInt("customerId", default: nil, range: 1...Int64.max),
                    limit: limit, beforeID: try context.queryInt("before", default: nil, range: 1...Int64.max))
                struct Page: Encodable { let data: [SalesOrderBody]; let nextBefore: Int64? }
                return JSONBody.response(Page(data: orders.map(SalesOrderBody.init), nextBefore: orders.count == limit ? orders.last?.id : nil))
            },
            Route(.get, "/api/sales-orders/{id}", .tenant(permission: nil)) { context in
                guard let order = try await stores.salesOrders.salesOrder(tenantID: try context.tenantID, id: try context.id("id", "sales order")) else {
                    throw APIError.notFound("sales order")
                }
                return JSONBody.response(SalesOrderBody(order))
            },
            Route(.put, "/api/sales-orders/{id}/status", .tenant(permission: .invoicesWrite)) { context in
                struct Request: Decodable, KnownKeys {
                    let status: SalesOrderStatus
                    enum CodingKeys: String, CodingKey, CaseIterable { case status }
                }
                let request = try JSONBody.decode(Request.self, from: context.request)
                let order = try await stores.salesOrders.setSalesOrderStatus(tenantID: try context.tenantID, id: try context.id("id", "sales order"),
                                                                status: request.status)
                return JSONBody.response(SalesOrderBody(order))
            },
            Route(.get, "/api/messages", .tenant(permission: nil)) { context in
                let limit = Int(try context.queryInt("limit", default: 100, range: 1...1000) ?? 100)
                let messages = try await stores.salesOrders.customerMessages(tenantID: try context.tenantID, unreadOnly: try context.queryBool("unread"), limit: limit)
                return JSONBody.response(["data": messages.map(MessageRepresentation.init)])
            },
            // Marking read changes the inbox every user of the tenant shares: a write like any other.
            Route(.post, "/api/messages/{id}/read", .tenant(permission: .invoicesWrite)) { context in
                try await stores.salesOrders.markMessageRead(tenantID: try context.tenantID, id: try context.id("id", "message"))
                return HTTPResponse(status: 204)
            },
        ]
    }
}

/// A sales order as the tenant API shows it.
struct SalesOrderBody: Encodable {
    let id: Int64, customerId: Int64, number: String, status: String, currency: String, total: Int64
    let orderDate: String, expectedDate: String?, createdAt: String

    init(_ order: SalesOrder) {
        id = order.id
        customerId = order.customerID
        number = order.number
        status = order.status.rawValue
        currency = order.total.currency.code
        total = order.total.minorUnits
        orderDate = order.orderDate.description
        expectedDate = order.expectedDate?.description
        createdAt = ISO8601.format(order.createdAt)
    }
}
