import BillportCore
import Foundation
import HTTPServer
import Billing
import Queue

/// Sending invoices by email, the log of what was sent, and the state of queued work.
struct EmailRoutes {
    let stores: BillingStores
    let jobs: any JobStore

    var routes: [Route] {
        [
            Route(.post, "/api/invoices/{id}/send", .tenant(permission: .invoicesManage)) { context in
                struct Request: Decodable, KnownKeys {
                    let recipients: [String]?, message: String?
                    enum CodingKeys: String, CodingKey, CaseIterable { case recipients, message }
                }
                let request = context.request.body.isEmpty ? Request(recipients: nil, message: nil)
                    : try JSONBody.decode(Request.self, from: context.request)
                let job = try await stores.emails.enqueueInvoiceEmail(tenantID: try context.tenantID, invoiceID: try context.id("id", "invoice"),
                                                              recipients: request.recipients, message: request.message)
                var response = JSONBody.response(status: 202, ["jobId": job])
                response.headers.set("Location", "/api/jobs/\(job)")
                return response
            },
            Route(.post, "/api/customers/{id}/email", .tenant(permission: .invoicesManage)) { context in
                struct Request: Decodable, KnownKeys {
                    let category: EmailCategory, subject: String?, message: String?, revokeExisting: Bool?
                    enum CodingKeys: String, CodingKey, CaseIterable { case category, subject, message, revokeExisting }
                }
                let request = try JSONBody.decode(Request.self, from: context.request)
                if request.revokeExisting != nil, request.category != .portal {
                    throw APIError(status: 422, code: "invalid_field", message: "revokeExisting applies to the portal email only", field: "revokeExisting")
                }
                let revoke = request.revokeExisting ?? false
                let job = try await stores.emails.enqueueCustomerEmail(tenantID: try context.tenantID, customerID: try context.id("id", "customer"),
                                                               category: request.category, subject: request.subject, message: request.message,
                                                               revokeExisting: revoke)
                // The portal email always says what becomes of the links the tenant handed out before.
                struct Body: Encodable { let jobId: Int64; let existingPortalLinks: String? }
                var response = JSONBody.response(status: 202, Body(jobId: job, existingPortalLinks: request.category == .portal ? (revoke ? "revoked" : "kept") : nil))
                response.headers.set("Location", "/api/jobs/\(job)")
                return response
            },
            Route(.get, "/api/invoices/{id}/emails", .tenant(permission: nil)) { context in
                let tenantID = try context.tenantID
                let id = try context.id("id", "invoice")
                guard try await stores.invoices.invoice(tenantID: tenantID, id: id) != nil else { throw APIError.notFound("invoice") }
                return JSONBody.response(["data": try await stores.emails.emailLog(tenantID: tenantID, invoiceID: id).map(EmailLogRepresentation.init)])
            },
            Route(.get, "/api/customers/{id}/emails", .tenant(permission: nil)) { context in
                let tenantID = try context.tenantID
                let id = try context.id("id", "customer")
                guard try await stores.customers.customer(tenantID: tenantID, id: id) != nil else { throw APIError.notFound("customer") }
                return JSONBody.response(["data": try await stores.emails.emailLog(tenantID: tenantID, customerID: id).map(EmailLogRepresentation.init)])
            },
            Route(.get, "/api/jobs/{id}", .tenant(permission: nil)) { context in
                // Jobs are generic; one is the tenant's when its payload names the tenant.
                struct Owner: Decodable { let tenantId: Int64? }
                guard let job = try await jobs.job(id: try context.id("id", "job")),
                      let owner = try? JSONDecoder().decode(Owner.self, from: Data(job.payload.utf8)),
                      owner.tenantId == (try context.tenantID) else { throw APIError.notFound("job") }
                struct Body: Encodable {
                    let id: Int64, kind: String, state: String, attempts: Int, maxAttempts: Int, lastError: String?
                    let createdAt: String, finishedAt: String?
                }
                return JSONBody.response(Body(id: job.id, kind: job.kind, state: job.state.rawValue, attempts: job.attempts,
                                              maxAttempts: job.maxAttempts, lastError: job.lastError, createdAt: ISO8601.format(job.createdAt),
                                              finishedAt: job.finishedAt.map { ISO8601.format($0) }))
            },
        ]
    }
}
