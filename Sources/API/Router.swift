import Foundation
import HTTPServer
import Tokens

/// Who may call a route.
enum Audience: Sendable {
    /// Anyone; the link's token is the credential. Gets the public security headers and
    /// byte-identical 404s, so no response tells one bad token from another.
    case publicLink
    /// A tenant's API token (`Authorization: Bearer <JWT>`), optionally with a permission.
    case tenant(permission: Permission?)
    /// Health checks.
    case operations
}

/// One route: method, a path pattern like `/api/invoices/{id}/share`, and what serves it.
struct Route: Sendable {
    let method: HTTPMethod
    let pattern: String
    let audience: Audience
    let handler: @Sendable (RequestContext) async throws -> HTTPResponse
    fileprivate let segments: [Segment]

    fileprivate enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
    }

    init(_ method: HTTPMethod, _ pattern: String, _ audience: Audience,
         _ handler: @escaping @Sendable (RequestContext) async throws -> HTTPResponse) {
        self.method = method
        self.pattern = pattern
        self.audience = audience
        self.handler = handler
        segments = pattern.split(separator: "/").map { part in
            part.hasPrefix("{") && part.hasSuffix("}") ? .parameter(String(part.dropFirst().dropLast())) : .literal(String(part))
        }
    }
}

extension Route {
    /// Whether the route only reads (GET, HEAD): any valid token may call it.
    var isRead: Bool { method == .get || method == .head }

    /// The rule for tenant routes: every write names the permission it needs, so a read-only
    /// token can never change data. Public and operations routes have no tenant permissions.
    var declaresItsPermission: Bool {
        guard case .tenant(let permission) = audience, !isRead else { return true }
        return permission != nil
    }
}

/// Routes frozen at start; matching splits the path once and compares segments.
struct Router: Sendable {
    enum Match {
        case found(Route, parameters: [String: String])
        /// The path exists with other methods: 405 with `Allow`.
        case methodNotAllowed(allowed: [HTTPMethod])
        case notFound
    }

    let routes: [Route]
    /// Routes by their first segment, in declaration order, when every route starts with a
    /// literal (Billport's do): a request is compared with a handful of routes, not all of them.
    private let byFirstSegment: [Substring: [Route]]?

    init(_ routes: [Route]) {
        for route in routes { precondition(route.declaresItsPermission, "\(route.method.rawValue) \(route.pattern) changes data but names no permission") }
        self.routes = routes
        let literalFirst = routes.allSatisfy { route in
            if case .parameter = route.segments.first { return false }
            return true
        }
        byFirstSegment = literalFirst ? Dictionary(grouping: routes) { route -> Substring in
            if case .literal(let text) = route.segments.first { return Substring(text) }
            return ""
        } : nil
    }

    /// Literal segments are compared before any parameter is captured, and without Foundation
    /// string searches: this runs on every request.
    func match(_ method: HTTPMethod, path: String) -> Match {
        let parts: [Substring] = path.utf8.split(separator: UInt8(ascii: "/")).map { bytes in
            let part = Substring(bytes)
            return bytes.contains(UInt8(ascii: "%")) ? Substring(part.removingPercentEncoding ?? String(part)) : part
        }
        var allowed: [HTTPMethod] = []
        let candidates = byFirstSegment.map { $0[parts.first ?? ""] ?? [] } ?? routes
        for route in candidates where route.segments.count == parts.count {
            // Parts are never empty (the split drops them), so a parameter matches any part.
            let matches = zip(route.segments, parts).allSatisfy { segment, part in
                guard case .literal(let text) = segment else { return true }
                return text == part
            }
            guard matches else { continue }
            if route.method == method || (method == .head && route.method == .get) {
                var parameters: [String: String] = [:]
                for case (.parameter(let name), let part) in zip(route.segments, parts) { parameters[name] = String(part) }
                return .found(route, parameters: parameters)
            }
            allowed.append(route.method)
        }
        return allowed.isEmpty ? .notFound : .methodNotAllowed(allowed: allowed)
    }
}
