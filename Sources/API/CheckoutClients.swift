import Foundation
import Payments
import Synchronization

/// One provider client per tenant key, made on first use and kept, so checkouts reuse a
/// warm connection. A client sends one request at a time; a busy tenant's buyers queue
/// behind each other for the few hundred milliseconds a checkout takes.
final class CheckoutClients: Sendable {
    private let baseURL: String
    private let clients = Mutex<[String: StripeClient]>([:])

    init(baseURL: String) { self.baseURL = baseURL }

    func client(key: String) throws(ProviderError) -> StripeClient {
        if let client = clients.withLock({ $0[key] }) { return client }
        let client = try StripeClient(configuration: StripeConfiguration(secretKey: StripeSecretKey(key), baseURL: baseURL))
        clients.withLock { $0[key] = client }
        return client
    }
}
