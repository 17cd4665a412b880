import Relational
import SQLite

extension BillingSchema {
    /// What a legally complete invoice states: the seller's company profile (one row per tenant),
    /// the buyer's address, VAT id and reference, the supply date or period and payment terms, each
    /// line's unit and VAT category, document-level allowances and charges, and credit notes as
    /// documents with their own date, lines and public id, listed per customer for the portal. Lines stored before keep their meaning: taxed
    /// lines are standard-rated, untaxed ones zero-rated. Address lines are kept joined by
    /// newlines (a line can hold none). An invoice keeps its seller and buyer as issued (`parties`, JSON).
    static let legalInvoices = Migration(id: "portal.020_legal_invoices", sql: """
        CREATE TABLE company_profiles (
            tenant_id INTEGER PRIMARY KEY REFERENCES tenants (id),
            legal_name TEXT,
            address_lines TEXT,
            postal_code TEXT,
            city TEXT,
            country TEXT,
            vat_id TEXT,
            tax_number TEXT,
            registration TEXT,
            contact_name TEXT,
            contact_phone TEXT,
            contact_email TEXT,
            bank_holder TEXT,
            bank_iban TEXT,
            bank_bic TEXT,
            updated_at INTEGER NOT NULL
        ) STRICT;
        ALTER TABLE customers ADD COLUMN address_lines TEXT;
        ALTER TABLE customers ADD COLUMN postal_code TEXT;
        ALTER TABLE customers ADD COLUMN city TEXT;
        ALTER TABLE customers ADD COLUMN country TEXT;
        ALTER TABLE customers ADD COLUMN vat_id TEXT;
        ALTER TABLE customers ADD COLUMN buyer_reference TEXT;
        ALTER TABLE invoices ADD COLUMN supply_date TEXT;
        ALTER TABLE invoices ADD COLUMN service_start TEXT;
        ALTER TABLE invoices ADD COLUMN service_end TEXT;
        ALTER TABLE invoices ADD COLUMN payment_terms TEXT;
        ALTER TABLE invoices ADD COLUMN parties TEXT;
        ALTER TABLE invoices ADD COLUMN allowance_total INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE invoices ADD COLUMN charge_total INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE invoice_lines ADD COLUMN unit_code TEXT NOT NULL DEFAULT 'C62';
        ALTER TABLE invoice_lines ADD COLUMN vat_category TEXT NOT NULL DEFAULT 'S';
        ALTER TABLE invoice_lines ADD COLUMN exemption_reason TEXT;
        UPDATE invoice_lines SET vat_category = 'Z' WHERE tax_rate = 0;
        CREATE TABLE invoice_allowance_charges (
            invoice_id INTEGER NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('allowance', 'charge')),
            amount INTEGER NOT NULL CHECK (amount > 0),
            reason TEXT NOT NULL,
            vat_category TEXT NOT NULL,
            tax_rate INTEGER NOT NULL,
            PRIMARY KEY (invoice_id, position)
        ) STRICT;
        ALTER TABLE credit_notes ADD COLUMN issue_date TEXT;
        ALTER TABLE credit_notes ADD COLUMN public_id TEXT;
        ALTER TABLE credit_notes ADD COLUMN customer_id INTEGER REFERENCES customers (id);
        UPDATE credit_notes SET issue_date = date(created_at / 1000, 'unixepoch'), public_id = 'cn_' || lower(hex(randomblob(12))),
            customer_id = (SELECT customer_id FROM invoices WHERE invoices.id = credit_notes.invoice_id);
        CREATE UNIQUE INDEX credit_notes_public ON credit_notes (public_id);
        CREATE INDEX credit_notes_customer ON credit_notes (customer_id, id);
        CREATE TABLE credit_note_lines (
            credit_note_id INTEGER NOT NULL REFERENCES credit_notes (id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            description TEXT NOT NULL,
            quantity INTEGER NOT NULL,
            unit_price INTEGER NOT NULL,
            tax_rate INTEGER NOT NULL,
            net INTEGER NOT NULL,
            unit_code TEXT NOT NULL,
            vat_category TEXT NOT NULL,
            exemption_reason TEXT,
            PRIMARY KEY (credit_note_id, position)
        ) STRICT;
        """)
}
