import BillportCore
import Foundation
import HTTPClient

/// Creates and reads Stripe Checkout Sessions over the REST API (form-encoded requests,
/// JSON responses). Knows nothing about Billport's database: callers pass values in and get
/// values or a `ProviderError` out.
///
/// Calls are async; the blocking curl work runs on the HTTP client's own queue, never on
/// Swift's cooperative pool. One client holds one kept-alive connection and sends one request
/// at a time; make one per tenant key (or a few for parallel work).
public struct StripeClient: Sendable {
    /// The configuration the client was made with.
    public let configuration: StripeConfiguration
    private let http: HTTPClient

    /// Makes a client; a bad configuration fails here, with a message that omits the key.
    public init(configuration: StripeConfiguration) throws(ProviderError) {
        if let problem = configuration.problem { throw ProviderError(kind: .invalidRequest, message: problem) }
        self.configuration = configuration
        do throws(HTTPClientError) {
            http = try HTTPClient(configuration: HTTPClientConfiguration(
                connectTimeout: configuration.connectTimeout, timeout: configuration.timeout,
                maxResponseBytes: 4 << 20, userAgent: configuration.userAgent), label: "billport.stripe")
        } catch {
            throw ProviderError(transport: error)
        }
    }

    /// `POST /v1/checkout/sessions` with `request.idempotencyKey`: a retry with the same key
    /// and parameters returns the same session instead of making a second one.
    public func createCheckoutSession(_ request: CheckoutSessionRequest) async throws(ProviderError) -> CheckoutSession {
        if let problem = request.problem {
            throw ProviderError(kind: .invalidRequest, param: problem.param, message: problem.message)
        }
        var headers = baseHeaders()
        headers.add("Content-Type", "application/x-www-form-urlencoded")
        headers.add("Idempotency-Key", request.idempotencyKey)
        let body = Array(FormEncoding.encode(request.formParameters).utf8)
        let response = try await send(HTTPClientRequest(method: .post, url: configuration.baseURL + "/v1/checkout/sessions",
                                                        headers: headers, body: body))
        return try decodeSession(response)
    }

    /// `GET /v1/checkout/sessions/{id}`: the session as it is now (status, payment status).
    public func retrieveCheckoutSession(id: String) async throws(ProviderError) -> CheckoutSession {
        // Stripe ids are letters, digits and underscores; anything else could change the path.
        guard CheckoutSession.isWellFormedID(id) else {
            throw ProviderError(kind: .invalidRequest, param: "id", message: "not a Checkout Session id")
        }
        let response = try await send(HTTPClientRequest(method: .get, url: configuration.baseURL + "/v1/checkout/sessions/" + id,
                                                        headers: baseHeaders()))
        return try decodeSession(response)
    }

    /// `POST /v1/checkout/sessions/{id}/expire`: the customer can no longer pay on that session.
    /// Only an `open` session can be expired; for any other the provider answers an
    /// invalid-request error (a session completed meanwhile is paid and stays so).
    public func expireCheckoutSession(id: String) async throws(ProviderError) -> CheckoutSession {
        guard CheckoutSession.isWellFormedID(id) else {
            throw ProviderError(kind: .invalidRequest, param: "id", message: "not a Checkout Session id")
        }
        var headers = baseHeaders()
        headers.add("Content-Type", "application/x-www-form-urlencoded")
        let response = try await send(HTTPClientRequest(method: .post, url: configuration.baseURL + "/v1/checkout/sessions/" + id + "/expire",
                                                        headers: headers, body: []))
        return try decodeSession(response)
    }

    private func baseHeaders() -> HTTPHeaders {
        var headers: HTTPHeaders = ["Authorization": "Bearer " + configuration.secretKey.raw,
                                          "Accept": "application/json"]
        if let version = configuration.apiVersion { headers.add("Stripe-Version", version) }
        return headers
    }

    /// Sends and classifies: a non-2xx response or no response becomes a `ProviderError`.
    private func send(_ request: HTTPClientRequest) async throws(ProviderError) -> HTTPClientResponse {
        let response: HTTPClientResponse
        do throws(HTTPClientError) {
            response = try await http.send(request)
        } catch {
            throw ProviderError(transport: error)
        }
        guard response.isSuccess else { throw ProviderError(response: response) }
        return response
    }

    private func decodeSession(_ response: HTTPClientResponse) throws(ProviderError) -> CheckoutSession {
        do throws(ProviderDecodingError) {
            return try CheckoutSession.decode(response.body)
        } catch {
            throw ProviderError(undecodable: error, response: response)
        }
    }
}
