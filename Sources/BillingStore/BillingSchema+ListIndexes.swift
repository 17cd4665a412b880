import SQLite

extension BillingSchema {
    /// The tenant API's lists: invoices of one status newest first (`GET /api/invoices?status=`),
    /// and a tenant's sales orders newest first (`GET /api/sales-orders`), each read by SEARCH
    /// and in index order, never sorted in a temporary tree.
    static let listIndexes = Migration(id: "portal.015_list_indexes", sql: """
        CREATE INDEX invoices_tenant_status ON invoices (tenant_id, status, id);
        CREATE INDEX sales_orders_tenant ON sales_orders (tenant_id, id);
        """)
}
