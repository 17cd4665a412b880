import Relational
import SQLite

extension BillingSchema {
    /// Customers erased on request keep their row (invoices point to it) with `erased_at` set;
    /// a customer's email log is read by customer (its list and its erasure) without a scan, and
    /// so are the links of a customer or an invoice, revoked ones included (erasure, deletion),
    /// and the rows the foreign keys check when a customer is deleted;
    /// tenant API answers stored under an `Idempotency-Key` (`status` NULL while the first request
    /// runs), pruned by age along `idempotency_keys_age`.
    static let customersIdempotency = Migration(id: "portal.019_customers_idempotency", sql: """
        ALTER TABLE customers ADD COLUMN erased_at INTEGER;
        CREATE INDEX email_log_customer ON email_log (customer_id, id);
        CREATE INDEX links_customer ON links (customer_id) WHERE customer_id IS NOT NULL;
        CREATE INDEX links_invoice ON links (invoice_id) WHERE invoice_id IS NOT NULL;
        CREATE INDEX sales_orders_customer_key ON sales_orders (customer_id);
        CREATE INDEX customer_messages_customer_key ON customer_messages (customer_id);
        CREATE TABLE idempotency_keys (
            id INTEGER PRIMARY KEY,
            tenant_id INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
            scope TEXT NOT NULL,
            key TEXT NOT NULL,
            fingerprint BLOB NOT NULL,
            status INTEGER,
            headers TEXT,
            body BLOB,
            created_at INTEGER NOT NULL,
            UNIQUE (tenant_id, scope, key)
        ) STRICT;
        CREATE INDEX idempotency_keys_age ON idempotency_keys (created_at);
        """)
}
