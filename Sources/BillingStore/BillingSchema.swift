import Relational
import SQLite

/// The business tables. Money is INTEGER minor units; instants INTEGER ms since 1970 UTC;
/// calendar dates TEXT `YYYY-MM-DD`.
public enum BillingSchema {
    /// In order; never edit a released one.
    public static let migrations: [Migration] = [
        Migration(id: "portal.001_tenants_customers_invoices_links", sql: """
            CREATE TABLE tenants (
                id INTEGER PRIMARY KEY,
                slug TEXT NOT NULL UNIQUE,
                name TEXT NOT NULL,
                brand_color TEXT,
                plan TEXT NOT NULL DEFAULT 'free' CHECK (plan IN ('free', 'pro')),
                created_at INTEGER NOT NULL
            ) STRICT;
            CREATE TABLE customers (
                id INTEGER PRIMARY KEY,
                tenant_id INTEGER NOT NULL REFERENCES tenants (id),
                name TEXT NOT NULL,
                email TEXT NOT NULL,
                pref_document INTEGER NOT NULL DEFAULT 1,
                pref_reminder INTEGER NOT NULL DEFAULT 1,
                pref_marketing INTEGER NOT NULL DEFAULT 0,
                created_at INTEGER NOT NULL
            ) STRICT;
            CREATE INDEX customers_tenant ON customers (tenant_id, id);
            CREATE TABLE invoices (
                id INTEGER PRIMARY KEY,
                tenant_id INTEGER NOT NULL REFERENCES tenants (id),
                customer_id INTEGER NOT NULL REFERENCES customers (id),
                public_id TEXT NOT NULL UNIQUE,
                type TEXT NOT NULL CHECK (type IN ('AR', 'AP')),
                number TEXT NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('draft', 'issued', 'paid', 'cancelled')),
                delivery_status TEXT NOT NULL DEFAULT 'not_sent',
                currency TEXT NOT NULL,
                issue_date TEXT NOT NULL,
                due_date TEXT NOT NULL,
                notes TEXT,
                allow_partial_payments INTEGER NOT NULL DEFAULT 0,
                minimum_payment_amount INTEGER,
                subtotal INTEGER NOT NULL,
                tax_total INTEGER NOT NULL,
                total INTEGER NOT NULL,
                amount_paid INTEGER NOT NULL DEFAULT 0,
                created_at INTEGER NOT NULL,
                issued_at INTEGER,
                cancelled_at INTEGER,
                UNIQUE (tenant_id, number)
            ) STRICT;
            CREATE INDEX invoices_tenant ON invoices (tenant_id, id);
            CREATE INDEX invoices_customer ON invoices (customer_id, status);
            CREATE TABLE invoice_lines (
                invoice_id INTEGER NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
                position INTEGER NOT NULL,
                description TEXT NOT NULL,
                quantity INTEGER NOT NULL,
                unit_price INTEGER NOT NULL,
                tax_rate INTEGER NOT NULL,
                net INTEGER NOT NULL,
                PRIMARY KEY (invoice_id, position)
            ) STRICT;
            CREATE TABLE links (
                id INTEGER PRIMARY KEY,
                tenant_id INTEGER NOT NULL REFERENCES tenants (id),
                kind TEXT NOT NULL CHECK (kind IN ('share', 'email', 'portal')),
                token_hash BLOB NOT NULL UNIQUE,
                invoice_id INTEGER REFERENCES invoices (id),
                customer_id INTEGER REFERENCES customers (id),
                created_at INTEGER NOT NULL,
                expires_at INTEGER,
                revoked_at INTEGER
            ) STRICT;
            CREATE INDEX links_invoice_active ON links (invoice_id, kind) WHERE revoked_at IS NULL;
            """),
        Migration(id: "portal.002_credit_notes", sql: """
            ALTER TABLE invoices ADD COLUMN amount_credited INTEGER NOT NULL DEFAULT 0;
            CREATE TABLE credit_notes (
                id INTEGER PRIMARY KEY,
                tenant_id INTEGER NOT NULL REFERENCES tenants (id),
                invoice_id INTEGER NOT NULL REFERENCES invoices (id),
                number TEXT NOT NULL,
                amount INTEGER NOT NULL CHECK (amount > 0),
                reason TEXT,
                created_at INTEGER NOT NULL,
                UNIQUE (tenant_id, number)
            ) STRICT;
            CREATE INDEX credit_notes_invoice ON credit_notes (invoice_id);
            """),
        Migration(id: "portal.003_branding_portal_tokens_pdf_cache", sql: """
            ALTER TABLE tenants ADD COLUMN logo BLOB;
            ALTER TABLE tenants ADD COLUMN page_size TEXT NOT NULL DEFAULT 'A4' CHECK (page_size IN ('A4', 'Letter'));
            ALTER TABLE tenants ADD COLUMN payment_instructions TEXT;
            ALTER TABLE tenants ADD COLUMN portal_token_days INTEGER NOT NULL DEFAULT 30 CHECK (portal_token_days BETWEEN 1 AND 365);
            CREATE INDEX links_customer_active ON links (customer_id, kind) WHERE revoked_at IS NULL;
            CREATE TABLE pdf_cache (
                invoice_id INTEGER NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
                content_hash TEXT NOT NULL,
                pdf BLOB NOT NULL,
                created_at INTEGER NOT NULL,
                PRIMARY KEY (invoice_id, content_hash)
            ) STRICT;
            """),
        Migration(id: "portal.004_portal_settings", sql: """
            ALTER TABLE tenants ADD COLUMN portal_enabled INTEGER NOT NULL DEFAULT 1;
            ALTER TABLE tenants ADD COLUMN portal_show_credit_notes INTEGER NOT NULL DEFAULT 1;
            ALTER TABLE tenants ADD COLUMN portal_show_statement INTEGER NOT NULL DEFAULT 1;
            ALTER TABLE tenants ADD COLUMN portal_welcome_message TEXT;
            """),
        Migration(id: "portal.005_views", sql: """
            CREATE TABLE views (
                id INTEGER PRIMARY KEY,
                view_key TEXT NOT NULL UNIQUE,
                tenant_id INTEGER NOT NULL,
                invoice_id INTEGER NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
                link_id INTEGER,
                source TEXT NOT NULL CHECK (source IN ('link', 'email', 'portal', 'api')),
                ip TEXT NOT NULL,
                user_agent TEXT,
                viewed_at INTEGER NOT NULL,
                processed INTEGER NOT NULL DEFAULT 0,
                counted INTEGER NOT NULL DEFAULT 0
            ) STRICT;
            CREATE INDEX views_invoice ON views (invoice_id, viewed_at);
            CREATE INDEX views_unprocessed ON views (id) WHERE processed = 0;
            CREATE INDEX views_dedupe ON views (invoice_id, link_id, ip, viewed_at) WHERE counted = 1;
            CREATE TABLE view_stats (
                invoice_id INTEGER PRIMARY KEY REFERENCES invoices (id) ON DELETE CASCADE,
                view_count INTEGER NOT NULL DEFAULT 0,
                first_viewed_at INTEGER,
                last_viewed_at INTEGER,
                unique_ips INTEGER NOT NULL DEFAULT 0
            ) STRICT;
            """),
        Migration(id: "portal.006_link_expiry_mark", sql: """
            ALTER TABLE links ADD COLUMN expired_at INTEGER;
            CREATE INDEX links_expiring ON links (expires_at) WHERE kind = 'portal' AND revoked_at IS NULL AND expired_at IS NULL;
            """),
        Migration(id: "portal.007_sales_orders_messages", sql: """
            ALTER TABLE tenants ADD COLUMN portal_show_sales_orders INTEGER NOT NULL DEFAULT 1;
            ALTER TABLE tenants ADD COLUMN portal_allow_messages INTEGER NOT NULL DEFAULT 0;
            CREATE TABLE sales_orders (
                id INTEGER PRIMARY KEY,
                tenant_id INTEGER NOT NULL REFERENCES tenants (id),
                customer_id INTEGER NOT NULL REFERENCES customers (id),
                number TEXT NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('open', 'confirmed', 'fulfilled', 'cancelled')),
                currency TEXT NOT NULL,
                total INTEGER NOT NULL CHECK (total >= 0),
                order_date TEXT NOT NULL,
                expected_date TEXT,
                created_at INTEGER NOT NULL,
                UNIQUE (tenant_id, number)
            ) STRICT;
            CREATE INDEX sales_orders_customer ON sales_orders (tenant_id, customer_id, id);
            CREATE TABLE customer_messages (
                id INTEGER PRIMARY KEY,
                tenant_id INTEGER NOT NULL REFERENCES tenants (id),
                customer_id INTEGER NOT NULL REFERENCES customers (id),
                body TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                read_at INTEGER
            ) STRICT;
            CREATE INDEX customer_messages_tenant ON customer_messages (tenant_id, id);
            """),
        Migration(id: "portal.008_email", sql: """
            ALTER TABLE links ADD COLUMN recipient TEXT;
            ALTER TABLE customers ADD COLUMN unsubscribe_token_hash BLOB;
            CREATE UNIQUE INDEX customers_unsubscribe ON customers (unsubscribe_token_hash) WHERE unsubscribe_token_hash IS NOT NULL;
            CREATE TABLE email_log (
                id INTEGER PRIMARY KEY,
                tenant_id INTEGER NOT NULL REFERENCES tenants (id),
                invoice_id INTEGER REFERENCES invoices (id) ON DELETE CASCADE,
                customer_id INTEGER NOT NULL REFERENCES customers (id),
                category TEXT NOT NULL CHECK (category IN ('document', 'reminder', 'portal', 'marketing')),
                recipient TEXT NOT NULL,
                send_key TEXT NOT NULL UNIQUE,
                status TEXT NOT NULL CHECK (status IN ('sending', 'sent', 'suppressed', 'failed')),
                detail TEXT,
                message_id TEXT,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL
            ) STRICT;
            CREATE INDEX email_log_invoice ON email_log (invoice_id, id);
            CREATE TABLE reminders_sent (
                invoice_id INTEGER NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
                offset_days INTEGER NOT NULL,
                created_at INTEGER NOT NULL,
                PRIMARY KEY (invoice_id, offset_days)
            ) STRICT;
            """),
        Migration(id: "portal.009_payments", sql: """
            CREATE TABLE tenant_payment_settings (
                tenant_id INTEGER PRIMARY KEY REFERENCES tenants (id),
                secret_key TEXT,
                webhook_secrets TEXT NOT NULL DEFAULT '[]',
                updated_at INTEGER NOT NULL
            ) STRICT;
            CREATE TABLE checkout_sessions (
                id INTEGER PRIMARY KEY,
                tenant_id INTEGER NOT NULL REFERENCES tenants (id),
                invoice_id INTEGER NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
                session_id TEXT NOT NULL UNIQUE,
                amount INTEGER NOT NULL,
                currency TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                expires_at INTEGER NOT NULL
            ) STRICT;
            CREATE TABLE provider_events (
                id INTEGER PRIMARY KEY,
                tenant_id INTEGER NOT NULL REFERENCES tenants (id),
                provider TEXT NOT NULL,
                event_id TEXT NOT NULL,
                type TEXT NOT NULL,
                payload BLOB NOT NULL,
                received_at INTEGER NOT NULL,
                applied_at INTEGER,
                outcome TEXT,
                UNIQUE (provider, event_id)
            ) STRICT;
            CREATE TABLE payments (
                id INTEGER PRIMARY KEY,
                tenant_id INTEGER NOT NULL REFERENCES tenants (id),
                invoice_id INTEGER NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
                provider TEXT NOT NULL,
                session_id TEXT NOT NULL,
                payment_intent TEXT,
                amount INTEGER NOT NULL CHECK (amount >= 0),
                currency TEXT NOT NULL,
                state TEXT NOT NULL CHECK (state IN ('pending', 'succeeded', 'failed')),
                excess INTEGER NOT NULL DEFAULT 0,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                UNIQUE (provider, session_id)
            ) STRICT;
            CREATE INDEX payments_invoice ON payments (invoice_id, id);
            CREATE INDEX payments_intent ON payments (payment_intent);
            CREATE TABLE charge_refunds (
                provider TEXT NOT NULL,
                charge_id TEXT NOT NULL,
                tenant_id INTEGER NOT NULL REFERENCES tenants (id),
                payment_intent TEXT NOT NULL,
                refunded_total INTEGER NOT NULL CHECK (refunded_total >= 0),
                updated_at INTEGER NOT NULL,
                PRIMARY KEY (provider, charge_id)
            ) STRICT;
            CREATE INDEX charge_refunds_intent ON charge_refunds (payment_intent);
            CREATE TABLE payment_audit (
                id INTEGER PRIMARY KEY,
                tenant_id INTEGER NOT NULL REFERENCES tenants (id),
                invoice_id INTEGER NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
                at INTEGER NOT NULL,
                event_id TEXT NOT NULL,
                action TEXT NOT NULL,
                amount INTEGER,
                detail TEXT
            ) STRICT;
            CREATE INDEX payment_audit_invoice ON payment_audit (invoice_id, id);
            """),
        // Every key of the payment ledger includes the tenant, so one tenant's session, event or
        // charge id can never reach another's rows. SQLite cannot alter a UNIQUE constraint:
        // each table is rebuilt and its rows copied. Checkout sessions also record their status,
        // so Billport knows which ones it opened are still open at the provider.
        Migration(id: "portal.010_payments_tenant_scoped_keys", sql: """
            CREATE TABLE checkout_sessions_scoped (
                id INTEGER PRIMARY KEY,
                tenant_id INTEGER NOT NULL REFERENCES tenants (id),
                invoice_id INTEGER NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
                session_id TEXT NOT NULL,
                amount INTEGER NOT NULL,
                currency TEXT NOT NULL,
                status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'expired', 'complete')),
                created_at INTEGER NOT NULL,
                expires_at INTEGER NOT NULL,
                UNIQUE (tenant_id, session_id)
            ) STRICT;
            INSERT INTO checkout_sessions_scoped (id, tenant_id, invoice_id, session_id, amount, currency, created_at, expires_at)
                SELECT id, tenant_id, invoice_id, session_id, amount, currency, created_at, expires_at FROM checkout_sessions;
            DROP TABLE checkout_sessions;
            ALTER TABLE checkout_sessions_scoped RENAME TO checkout_sessions;
            CREATE INDEX checkout_sessions_invoice ON checkout_sessions (tenant_id, invoice_id, status);
            CREATE INDEX checkout_sessions_session ON checkout_sessions (session_id);

            CREATE TABLE provider_events_scoped (
                id INTEGER PRIMARY KEY,
                tenant_id INTEGER NOT NULL REFERENCES tenants (id),
                provider TEXT NOT NULL,
                event_id TEXT NOT NULL,
                type TEXT NOT NULL,
                payload BLOB NOT NULL,
                received_at INTEGER NOT NULL,
                applied_at INTEGER,
                outcome TEXT,
                UNIQUE (tenant_id, provider, event_id)
            ) STRICT;
            INSERT INTO provider_events_scoped SELECT id, tenant_id, provider, event_id, type, payload, received_at, applied_at, outcome
                FROM provider_events;
            DROP TABLE provider_events;
            ALTER TABLE provider_events_scoped RENAME TO provider_events;

            CREATE TABLE payments_scoped (
                id INTEGER PRIMARY KEY,
                tenant_id INTEGER NOT NULL REFERENCES tenants (id),
                invoice_id INTEGER NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
                provider TEXT NOT NULL,
                session_id TEXT NOT NULL,
                payment_intent TEXT,
                amount INTEGER NOT NULL CHECK (amount >= 0),
                currency TEXT NOT NULL,
                state TEXT NOT NULL CHECK (state IN ('pending', 'succeeded', 'failed')),
                excess INTEGER NOT NULL DEFAULT 0,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                UNIQUE (tenant_id, provider, session_id)
            ) STRICT;
            INSERT INTO payments_scoped SELECT id, tenant_id, invoice_id, provider, session_id, payment_intent, amount, currency, state, excess,
                created_at, updated_at FROM payments;
            DROP TABLE payments;
            ALTER TABLE payments_scoped RENAME TO payments;
            CREATE INDEX payments_invoice ON payments (invoice_id, id);
            CREATE INDEX payments_intent ON payments (tenant_id, payment_intent);

            CREATE TABLE charge_refunds_scoped (
                tenant_id INTEGER NOT NULL REFERENCES tenants (id),
                provider TEXT NOT NULL,
                charge_id TEXT NOT NULL,
                payment_intent TEXT NOT NULL,
                refunded_total INTEGER NOT NULL CHECK (refunded_total >= 0),
                updated_at INTEGER NOT NULL,
                PRIMARY KEY (tenant_id, provider, charge_id)
            ) STRICT;
            INSERT INTO charge_refunds_scoped SELECT tenant_id, provider, charge_id, payment_intent, refunded_total, updated_at FROM charge_refunds;
            DROP TABLE charge_refunds;
            ALTER TABLE charge_refunds_scoped RENAME TO charge_refunds;
            CREATE INDEX charge_refunds_intent ON charge_refunds (tenant_id, payment_intent);
            """),
        Migration(id: "portal.011_retention", sql: """
            -- Views past their retention, oldest first; addresses still to blank.
            CREATE INDEX views_age ON views (viewed_at) WHERE processed = 1;
            CREATE INDEX views_addressed ON views (viewed_at) WHERE processed = 1 AND ip != '';
            -- Whether an address already counted for an invoice (unique visitors).
            CREATE INDEX views_invoice_ip ON views (invoice_id, ip) WHERE counted = 1;
            -- A customer's messages of the last 24 hours, and its unread ones (the message quota).
            CREATE INDEX customer_messages_customer ON customer_messages (tenant_id, customer_id, created_at);
            CREATE INDEX customer_messages_unread ON customer_messages (tenant_id, customer_id) WHERE read_at IS NULL;
            -- The email log showed outbox file paths to tenants.
            UPDATE email_log SET detail = 'written to the outbox' WHERE status = 'sent' AND detail LIKE '/%';
            UPDATE email_log SET detail = 'mail: the server could not write the message to its outbox'
                WHERE status = 'failed' AND detail LIKE 'mail: cannot write %';
            """),
        portalIndexes,
        // View aggregation costs what the new views cost: the backlog in the order it is folded
        // in (by time) without sorting it, and each invoice's addresses seen so far in a set of
        // their own instead of a look-up among its raw views. An address stays in the set as
        // long as a raw view still holds it (`views.prune` forgets both together).
        Migration(id: "portal.013_view_aggregation", sql: """
            DROP INDEX views_unprocessed;
            CREATE INDEX views_backlog ON views (viewed_at) WHERE processed = 0;
            CREATE TABLE view_addresses (
                invoice_id INTEGER NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
                ip TEXT NOT NULL,
                last_seen INTEGER NOT NULL,
                UNIQUE (invoice_id, ip)
            ) STRICT;
            CREATE INDEX view_addresses_last_seen ON view_addresses (last_seen);
            INSERT INTO view_addresses (invoice_id, ip, last_seen)
                SELECT invoice_id, ip, max(viewed_at) FROM views WHERE counted = 1 AND ip != '' GROUP BY invoice_id, ip;
            DROP INDEX views_invoice_ip;
            -- Open invoices by due date, for the overdue reminders.
            CREATE INDEX invoices_reminder_due ON invoices (due_date) WHERE status = 'issued' AND type = 'AR';
            """),
        webhookEndpoints,
        listIndexes,
        webhookEvents,
        webhookDeliveries,
        tenantNotifications,
        customersIdempotency,
        legalInvoices,
    ]
}
