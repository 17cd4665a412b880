import BillportCore

/// What the domain refuses, for the edge to turn into a status code.
public enum BillingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No such object for this tenant (another tenant's objects are "not found" too).
    case notFound(String)
    /// The object's state forbids the change (issuing a cancelled invoice).
    case conflict(code: String, message: String)
    /// Well-formed, but against a rule (sharing an AP invoice).
    case unprocessable(code: String, message: String)
    /// A field is wrong.
    case invalid(FieldError)

    public var description: String {
        switch self {
        case .notFound(let what): return "\(what) not found"
        case .conflict(_, let message), .unprocessable(_, let message): return message
        case .invalid(let error): return error.description
        }
    }
}
