import BillportCore

/// What `GET /api/invoices` narrows the tenant's list to; every condition left nil matches all.
/// Due-date bounds are exclusive, as their names say: `dueBefore` 2026-04-01 keeps March.
public struct InvoiceListFilter: Sendable, Equatable {
    public var status: InvoiceStatus?
    public var customerID: Int64?
    public var dueBefore: CalendarDate?
    public var dueAfter: CalendarDate?

    public init(status: InvoiceStatus? = nil, customerID: Int64? = nil, dueBefore: CalendarDate? = nil, dueAfter: CalendarDate? = nil) {
        self.status = status
        self.customerID = customerID
        self.dueBefore = dueBefore
        self.dueAfter = dueAfter
    }
}
