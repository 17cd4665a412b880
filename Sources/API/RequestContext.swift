import BillportCore
import Foundation
import HTTPServer
import Billing

/// A matched request: the raw request, its path parameters, its id, and (on tenant routes)
/// the authenticated tenant.
struct RequestContext: Sendable {
    let request: HTTPRequest
    let parameters: [String: String]
    let requestID: String
    var tenant: Tenant?
    var permissions: Set<String> = []

    /// The authenticated tenant; tenant routes always have one.
    var tenantID: Int64 {
        get throws {
            try tenantValue.id
        }
    }

    /// The authenticated tenant itself.
    var tenantValue: Tenant {
        get throws {
            guard let tenant else { throw APIError.unauthorized }
            return tenant
        }
    }

    /// Path parameter `name` as an id; anything else is "not found", as a missing object would be.
    func id(_ name: String, _ what: String) throws -> Int64 {
        guard let text = parameters[name], let id = Int64(text), id > 0 else { throw APIError.notFound(what) }
        return id
    }

    /// Query parameter `name` as an integer within `range`, else a 422 naming it.
    func queryInt(_ name: String, default fallback: Int64?, range: ClosedRange<Int64>) throws -> Int64? {
        guard let text = request.queryValue(name) else { return fallback }
        guard let value = Int64(text), range.contains(value) else {
            throw APIError(status: 422, code: "invalid_field", message: "\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound)", field: name)
        }
        return value
    }

    /// Query parameter `name` as one of `T`'s raw values, else a 422 naming it and listing them.
    func queryEnum<T: RawRepresentable & CaseIterable>(_ name: String, _ type: T.Type) throws -> T? where T.RawValue == String {
        guard let text = request.queryValue(name) else { return nil }
        guard let value = T(rawValue: text) else {
            throw APIError(status: 422, code: "invalid_field",
                           message: "\(name) must be one of \(T.allCases.map(\.rawValue).joined(separator: ", "))", field: name)
        }
        return value
    }

    /// Query parameter `name` as a calendar date (YYYY-MM-DD), else a 422 naming it.
    func queryDate(_ name: String) throws -> CalendarDate? {
        guard let text = request.queryValue(name) else { return nil }
        guard let date = CalendarDate(parsing: text) else {
            throw APIError(status: 422, code: "invalid_field", message: "\(name) must be a date as YYYY-MM-DD", field: name)
        }
        return date
    }

    /// Refuses a query parameter the route does not read, as a body's unknown key is refused,
    /// and one given twice (only the first would count): a misspelt or repeated filter must not
    /// silently widen a list.
    func requireKnownQuery(_ known: [String]) throws {
        var seen: Set<String> = []
        for item in request.queryItems {
            guard known.contains(item.name) else { throw APIError.unknownField(item.name, known: known) }
            guard seen.insert(item.name).inserted else {
                throw APIError(status: 422, code: "invalid_field", message: "\(item.name) may be given once", field: item.name)
            }
        }
    }

    /// Query parameter `name` as a boolean (`true`/`false`/`1`/`0`).
    func queryBool(_ name: String) throws -> Bool {
        guard let text = request.queryValue(name) else { return false }
        switch text.lowercased() {
        case "true", "1", "yes": return true
        case "false", "0", "no", "": return false
        default: throw APIError(status: 422, code: "invalid_field", message: "\(name) must be true or false", field: name)
        }
    }
}
