import Foundation
import HTTPClient

extension ProviderError {
    /// Classifies a non-2xx response from the provider by its status and error body
    /// (`{"error":{"type","code","message","param"}}`, docs.stripe.com/api/errors).
    /// `Stripe-Should-Retry`, when present, overrides the status's retry advice, as Stripe's
    /// own libraries let it.
    init(response: HTTPClientResponse) {
        let body = try? JSONDecoder().decode(ErrorBody.self, from: Data(response.body))
        let details = body?.error
        let type = details?.type
        let kind: Kind
        var retryable: Bool
        switch response.status {
        case 401, 403: (kind, retryable) = (.authentication, false)
        case 409: (kind, retryable) = (.conflict, true)
        case 429: (kind, retryable) = (.rateLimited, true)
        case 500...: (kind, retryable) = (.providerUnavailable, true)
        case _ where type == "idempotency_error": (kind, retryable) = (.idempotencyMismatch, false)
        case 400..<500: (kind, retryable) = (.invalidRequest, false)
        default: (kind, retryable) = (.unexpectedResponse, false)
        }
        switch response.headers["Stripe-Should-Retry"]?.lowercased() {
        case "true": retryable = true
        case "false": retryable = false
        default: break
        }
        let fallback = body == nil ? "HTTP \(response.status) with a body that is not a Stripe error object"
                                   : "HTTP \(response.status)"
        self.init(kind: kind, status: response.status, type: type, code: details?.code, param: details?.param,
                  message: details?.message ?? fallback, requestID: response.headers["Request-Id"],
                  isRetryable: retryable)
    }

    /// No response arrived: the provider is unavailable from here; a transient failure
    /// (refused, timed out, lost, DNS) may pass. A client-side refusal is a bad request.
    init(transport error: HTTPClientError) {
        if error.kind == .invalidRequest {
            self.init(kind: .invalidRequest, message: error.description)
        } else if error.kind == .responseTooLarge {
            self.init(kind: .unexpectedResponse, message: error.description)
        } else {
            self.init(kind: .providerUnavailable, message: error.description, isRetryable: error.isTransient)
        }
    }

    /// A 2xx whose body is not the documented object.
    init(undecodable error: ProviderDecodingError, response: HTTPClientResponse) {
        self.init(kind: .unexpectedResponse, status: response.status, message: "response: \(error)",
                  requestID: response.headers["Request-Id"])
    }
}

/// Stripe's error envelope.
private struct ErrorBody: Decodable {
    struct Details: Decodable {
        let type: String?
        let code: String?
        let message: String?
        let param: String?
    }

    let error: Details
}
