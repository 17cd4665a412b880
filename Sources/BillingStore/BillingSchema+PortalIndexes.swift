import Relational
import SQLite

extension BillingSchema {
    /// The customer portal reads one customer's invoices only: its pages newest first and its
    /// credited invoices, each through an index on the customer. Its balances come from
    /// `customer_open_items`: what the customer owes per currency and due date, kept by
    /// triggers in the same transaction as every change to an invoice, so the aging buckets
    /// of any day are sums over the customer's distinct due dates, never over its invoices.
    /// The table is not STRICT: an `amount_due` summed beyond Int64 becomes REAL rather than failing
    /// the invoice write, and readers recompute from the invoices when they see one.
    static let portalIndexes = Migration(id: "portal.012_portal_indexes", sql: """
        CREATE INDEX invoices_customer_visible ON invoices (tenant_id, customer_id, id, type, issued_at)
            WHERE type = 'AR' AND issued_at IS NOT NULL;
        CREATE INDEX invoices_customer_credited ON invoices (tenant_id, customer_id, id, type, issued_at, amount_credited)
            WHERE amount_credited > 0 AND type = 'AR' AND issued_at IS NOT NULL;
        CREATE TABLE customer_open_items (
            tenant_id INTEGER NOT NULL,
            customer_id INTEGER NOT NULL,
            currency TEXT NOT NULL,
            due_date TEXT NOT NULL,
            amount_due INTEGER NOT NULL,
            items INTEGER NOT NULL,
            PRIMARY KEY (tenant_id, customer_id, currency, due_date)
        ) WITHOUT ROWID;
        CREATE TRIGGER invoices_open_insert AFTER INSERT ON invoices WHEN \(openItem("NEW"))
        BEGIN \(addOpenItem("NEW")) END;
        CREATE TRIGGER invoices_open_update_old AFTER UPDATE OF \(openItemColumns) ON invoices WHEN \(openItem("OLD"))
        BEGIN \(removeOpenItem("OLD")) END;
        CREATE TRIGGER invoices_open_update_new AFTER UPDATE OF \(openItemColumns) ON invoices WHEN \(openItem("NEW"))
        BEGIN \(addOpenItem("NEW")) END;
        CREATE TRIGGER invoices_open_delete AFTER DELETE ON invoices WHEN \(openItem("OLD"))
        BEGIN \(removeOpenItem("OLD")) END;
        INSERT INTO customer_open_items (tenant_id, customer_id, currency, due_date, amount_due, items)
            SELECT i.tenant_id, i.customer_id, i.currency, i.due_date, i.total - i.amount_paid - i.amount_credited, 1
            FROM invoices i WHERE \(openItem("i"))
            ON CONFLICT (tenant_id, customer_id, currency, due_date) DO UPDATE SET amount_due = amount_due + excluded.amount_due, items = items + 1;
        """)

    // The trigger bodies of `portal.012_portal_indexes` (released: never edit). `row` is NEW or OLD.

    /// Whether the invoice `row` is an open item (`CustomerBalance.OpenItem`, `BuyerVisibility`).
    private static func openItem(_ row: String) -> String {
        "\(row).status = 'issued' AND \(row).type = 'AR' AND \(row).issued_at IS NOT NULL AND \(row).total - \(row).amount_paid - \(row).amount_credited > 0"
    }

    private static let openItemColumns = "tenant_id, customer_id, status, type, issued_at, currency, due_date, total, amount_paid, amount_credited"

    private static func addOpenItem(_ row: String) -> String {
        """
        INSERT INTO customer_open_items (tenant_id, customer_id, currency, due_date, amount_due, items)
            VALUES (\(row).tenant_id, \(row).customer_id, \(row).currency, \(row).due_date, \(row).total - \(row).amount_paid - \(row).amount_credited, 1)
            ON CONFLICT (tenant_id, customer_id, currency, due_date) DO UPDATE SET amount_due = amount_due + excluded.amount_due, items = items + 1;
        """
    }

    private static func removeOpenItem(_ row: String) -> String {
        let key = "tenant_id = \(row).tenant_id AND customer_id = \(row).customer_id AND currency = \(row).currency AND due_date = \(row).due_date"
        return """
            UPDATE customer_open_items SET amount_due = amount_due - (\(row).total - \(row).amount_paid - \(row).amount_credited), items = items - 1
                WHERE \(key);
            DELETE FROM customer_open_items WHERE \(key) AND items = 0;
            """
    }
}
