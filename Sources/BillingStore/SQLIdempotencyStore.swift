import Billing
import BillportCore
import Foundation
import Relational
import SQLite

/// `IdempotencyStore` on SQLite: one row per key, claimed (status NULL) in the write that
/// checks it, so two requests with one key can never both run.
public final class SQLIdempotencyStore: IdempotencyStore, SQLStore {
    let context: BillingStoreContext

    init(_ context: BillingStoreContext) { self.context = context }

    public func claim(tenantID: Int64, scope: String, key: String, fingerprint: [UInt8], now: Date) async throws -> IdempotencyClaim {
        let expired = now.addingTimeInterval(-Self.seconds(IdempotencyRule.retention))
        let abandoned = now.addingTimeInterval(-Self.seconds(IdempotencyRule.abandonAfter))
        return try await database.write { db in
            try db.execute("""
                DELETE FROM idempotency_keys WHERE id IN (SELECT id FROM idempotency_keys WHERE created_at <= ? ORDER BY created_at LIMIT ?)
                """, expired, IdempotencyRule.pruneBatch)
            let row = try db.queryOne("""
                SELECT id, fingerprint, status, headers, body, created_at FROM idempotency_keys WHERE tenant_id = ? AND scope = ? AND key = ?
                """, tenantID, scope, key) { row in
                (id: row.int64(0), fingerprint: row.blob(1), status: row.optionalInt64(2), headers: row.optionalString(3),
                 body: row.isNull(4) ? [] : row.blob(4), createdAt: row.date(5))
            }
            if let row, row.createdAt > expired {
                guard row.fingerprint == fingerprint else { return .reused }
                guard let status = row.status else {
                    guard row.createdAt <= abandoned else { return .inFlight }
                    try db.execute("UPDATE idempotency_keys SET created_at = ? WHERE id = ?", now, row.id)
                    return .started
                }
                let headers = (try? JSONDecoder().decode([[String]].self, from: Data((row.headers ?? "[]").utf8))) ?? []
                return .replay(StoredAnswer(status: Int(status), headers: headers, body: row.body))
            }
            if let row { try db.execute("DELETE FROM idempotency_keys WHERE id = ?", row.id) }
            try db.execute("""
                INSERT INTO idempotency_keys (tenant_id, scope, key, fingerprint, created_at) VALUES (?, ?, ?, ?, ?)
                """, tenantID, scope, key, fingerprint, now)
            return .started
        }
    }

    public func store(tenantID: Int64, scope: String, key: String, answer: StoredAnswer) async throws {
        let headers = String(decoding: try JSONEncoder().encode(answer.headers), as: UTF8.self)
        try await database.write { db in
            try db.execute("""
                UPDATE idempotency_keys SET status = ?, headers = ?, body = ? WHERE tenant_id = ? AND scope = ? AND key = ? AND status IS NULL
                """, answer.status, headers, answer.body, tenantID, scope, key)
        }
    }

    public func release(tenantID: Int64, scope: String, key: String) async throws {
        try await database.write { db in
            try db.execute("DELETE FROM idempotency_keys WHERE tenant_id = ? AND scope = ? AND key = ?", tenantID, scope, key)
        }
    }

    private static func seconds(_ duration: Duration) -> TimeInterval {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
