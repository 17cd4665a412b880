import Relational
import SQLite

extension BillingSchema {
    /// The tenant API's lists: invoices of one status or one customer newest first
    /// (`GET /api/invoices?status=`, `?customerId=`: the portal's customer indexes hold only
    /// issued AR invoices), and a tenant's sales orders newest first (`GET /api/sales-orders`),
    /// each read by SEARCH in index order, never sorted in a temporary tree. Due-date bounds
    /// filter along whichever of these the other conditions pick; alone, along `invoices_tenant`,
    /// which now carries the due date so that skipping an invoice never reads its row.
    static let listIndexes = Migration(id: "portal.015_list_indexes", sql: """
        DROP INDEX invoices_tenant;
        CREATE INDEX invoices_tenant ON invoices (tenant_id, id, due_date);
        CREATE INDEX invoices_tenant_status ON invoices (tenant_id, status, id);
        CREATE INDEX invoices_tenant_customer ON invoices (tenant_id, customer_id, id);
        CREATE INDEX sales_orders_tenant ON sales_orders (tenant_id, id);
        """)
}
