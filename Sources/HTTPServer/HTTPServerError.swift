/// Why the server could not start; runtime trouble on single connections is only logged.
public enum HTTPServerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A configuration value is unusable; the message names it.
    case invalidConfiguration(String)
    /// The host could not be resolved to a listening address.
    case addressResolution(host: String, message: String)
    /// A socket call failed while setting up the listener.
    case socket(operation: String, message: String)
    /// `start()` was called on a server that is already running or has been shut down.
    case alreadyStarted

    /// A readable explanation for logs and start-up failures.
    public var description: String {
        switch self {
        case .invalidConfiguration(let message): "invalid HTTP server configuration: \(message)"
        case .addressResolution(let host, let message): "cannot resolve \(host): \(message)"
        case .socket(let operation, let message): "\(operation) failed: \(message)"
        case .alreadyStarted: "the HTTP server was already started"
        }
    }
}
