import Billing
import BillportCore
import Foundation
import Relational
import SQLite

/// `SalesOrderStore` on SQLite.
public final class SQLSalesOrderStore: SalesOrderStore, SQLStore {
    let context: BillingStoreContext

    init(_ context: BillingStoreContext) { self.context = context }

    public func createSalesOrder(tenantID: Int64, _ draft: SalesOrderDraft) async throws -> SalesOrder {
        do { try draft.validate() } catch { throw BillingError.invalid(error) }
        let number = draft.number.trimmingCharacters(in: .whitespaces)
        let now = clock.now()
        return try await database.write { db in
            guard try Self.customer(db, tenantID: tenantID, id: draft.customerId) != nil else {
                throw BillingError.invalid(FieldError("customerId", "is not one of your customers"))
            }
            guard try db.queryOne("SELECT 1 FROM sales_orders WHERE tenant_id = ? AND number = ?", tenantID, number, map: { _ in true }) == nil else {
                throw BillingError.conflict(code: "duplicate_number", message: "sales order number \(number) is already used")
            }
            let id = try db.insert("""
                INSERT INTO sales_orders (tenant_id, customer_id, number, status, currency, total, order_date, expected_date, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, tenantID, draft.customerId, number, (draft.status ?? .open).rawValue, draft.currency.code, draft.total,
                draft.orderDate.description, draft.expectedDate?.description, now)
            guard let order = try Self.salesOrders(db, tenantID: tenantID, where: "id = ?", id).first else {
                throw BillingError.notFound("sales order")
            }
            return order
        }
    }

    public func setSalesOrderStatus(tenantID: Int64, id: Int64, status: SalesOrderStatus) async throws -> SalesOrder {
        try await database.write { db in
            try db.execute("UPDATE sales_orders SET status = ? WHERE tenant_id = ? AND id = ?", status.rawValue, tenantID, id)
            guard let order = try Self.salesOrders(db, tenantID: tenantID, where: "id = ?", id).first else { throw BillingError.notFound("sales order") }
            return order
        }
    }

    public func salesOrder(tenantID: Int64, id: Int64) async throws -> SalesOrder? {
        try await database.read { db in try Self.salesOrders(db, tenantID: tenantID, where: "id = ?", id).first }
    }

    public func salesOrders(tenantID: Int64, customerID: Int64) async throws -> [SalesOrder] {
        try await database.read { db in try Self.salesOrders(db, tenantID: tenantID, where: "customer_id = ?", customerID) }
    }

    public func salesOrders(tenantID: Int64, customerID: Int64?, limit: Int, beforeID: Int64?) async throws -> [SalesOrder] {
        var condition = "id < ?"
        var arguments: [any SQLValueConvertible] = [beforeID ?? Int64.max]
        if let customerID { condition += " AND customer_id = ?"; arguments.append(customerID) }
        let bound = arguments.map(\.sqlValue)
        return try await database.read { [condition] db in try Self.salesOrders(db, tenantID: tenantID, where: condition, bound, limit: limit) }
    }

    private static func salesOrders(_ db: any SQLConnection, tenantID: Int64, where condition: String, _ value: Int64) throws -> [SalesOrder] {
        try salesOrders(db, tenantID: tenantID, where: condition, [value.sqlValue], limit: 100)
    }

    private static func salesOrders(_ db: any SQLConnection, tenantID: Int64, where condition: String, _ values: [SQLValue],
                                    limit: Int) throws -> [SalesOrder] {
        try db.query("""
            SELECT id, customer_id, number, status, currency, total, order_date, expected_date, created_at
            FROM sales_orders WHERE tenant_id = ? AND \(condition) ORDER BY id DESC LIMIT ?
            """, arguments: [tenantID.sqlValue] + values + [limit.sqlValue]) { row -> SalesOrder? in
            guard let currency = Currency(code: row.string(4)), let orderDate = CalendarDate(parsing: row.string(6)) else { return nil }
            return SalesOrder(id: row.int64(0), customerID: row.int64(1), number: row.string(2),
                              status: SalesOrderStatus(rawValue: row.string(3)) ?? .open,
                              total: Money(minorUnits: row.int64(5), currency: currency), orderDate: orderDate,
                              expectedDate: row.optionalString(7).flatMap(CalendarDate.init(parsing:)), createdAt: row.date(8))
        }.compactMap { $0 }
    }

    public func addCustomerMessage(tenantID: Int64, customerID: Int64, text: String,
                                   quota: MessageQuota) async throws -> CustomerMessage {
        let body: String
        do { body = try CustomerMessage.validated(text) } catch { throw BillingError.invalid(error) }
        let now = clock.now()
        return try await database.write { [self] db in
            guard try Self.portalSettings(db, tenantID: tenantID).allowMessages else {
                throw BillingError.conflict(code: "messages_disabled", message: "this portal does not take messages")
            }
            guard let customer = try Self.customer(db, tenantID: tenantID, id: customerID) else { throw BillingError.notFound("customer") }
            try Self.checkMessageQuota(db, tenantID: tenantID, customerID: customerID, quota: quota, now: now)
            let id = try db.insert("INSERT INTO customer_messages (tenant_id, customer_id, body, created_at) VALUES (?, ?, ?, ?)",
                                   tenantID, customerID, body, now)
            let message = CustomerMessage(id: id, customerID: customerID, customerName: customer.name, body: body, createdAt: now, readAt: nil)
            try recordEvent(db, tenantID: tenantID, customerID: message.customerID, type: .portalMessageReceived, data: MessageRepresentation(message))
            return message
        }
    }

    /// Throws when the customer's `quota.perDay`th newest message of the window is still inside
    /// it (`retryAfter`: when it leaves, freeing a place), or when `quota.unread` of its messages
    /// wait unread (`retryAfter`: a day; only the tenant's reading frees a place).
    static func checkMessageQuota(_ db: any SQLConnection, tenantID: Int64, customerID: Int64, quota: MessageQuota, now: Date) throws {
        let windowStart = now.unixMilliseconds - MessageQuota.window.milliseconds
        let blocking = try db.queryOne("""
            SELECT created_at FROM customer_messages
            WHERE tenant_id = ? AND customer_id = ? AND created_at > ?
            ORDER BY created_at DESC LIMIT 1 OFFSET ?
            """, tenantID, customerID, windowStart, quota.perDay - 1) { $0.int64(0) }
        if let blocking {
            throw MessageQuotaExceeded(bound: .perDay, limit: quota.perDay, retryAfter: .milliseconds(max(1000, blocking - windowStart)))
        }
        let unread = try db.queryOne("""
            SELECT count(*) FROM (SELECT 1 FROM customer_messages
                WHERE tenant_id = ? AND customer_id = ? AND read_at IS NULL LIMIT ?) AS unread
            """, tenantID, customerID, quota.unread) { $0.int(0) } ?? 0
        if unread >= quota.unread {
            throw MessageQuotaExceeded(bound: .unread, limit: quota.unread, retryAfter: MessageQuota.window)
        }
    }

    public func customerMessages(tenantID: Int64, unreadOnly: Bool, limit: Int) async throws -> [CustomerMessage] {
        try await database.read { db in
            try db.query("""
                SELECT m.id, m.customer_id, c.name, m.body, m.created_at, m.read_at
                FROM customer_messages m JOIN customers c ON c.id = m.customer_id
                WHERE m.tenant_id = ? AND (? = 0 OR m.read_at IS NULL) ORDER BY m.id DESC LIMIT ?
                """, tenantID, unreadOnly, limit) {
                CustomerMessage(id: $0.int64(0), customerID: $0.int64(1), customerName: $0.string(2), body: $0.string(3),
                                createdAt: $0.date(4), readAt: $0.optionalDate(5))
            }
        }
    }

    public func markMessageRead(tenantID: Int64, id: Int64) async throws {
        let now = clock.now()
        try await database.write { db in
            try db.execute("UPDATE customer_messages SET read_at = coalesce(read_at, ?) WHERE tenant_id = ? AND id = ?", now, tenantID, id)
            guard db.changes > 0 else { throw BillingError.notFound("message") }
        }
    }
}
