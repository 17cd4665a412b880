import Billing
import BillportCore
import Foundation
import Testing

/// A resolver that answers from a table, as DNS would for a name pointed anywhere.
struct TableResolver: HostResolver {
    let table: [String: [String]]

    func addresses(of host: String) async throws -> [IPAddress] {
        if let literal = IPAddress(host) { return [literal] }
        guard let entries = table[host] else { throw HostResolutionError(host: host, reason: "unknown name") }
        return entries.compactMap(IPAddress.init)
    }
}

@Suite struct WebhookDestinationPolicyTests {
    static let resolver = TableResolver(table: [
        "erp.example.com": ["93.184.216.34", "2606:2800:220:1::1"],
        "rebind.example.com": ["93.184.216.34", "10.0.0.7"],
        "inside.example.com": ["fd00::5"],
    ])

    func refusal(_ url: String, _ policy: WebhookDestinationPolicy = .init()) async -> FieldError? {
        do {
            _ = try await policy.check(url, resolver: Self.resolver)
            return nil
        } catch let error as FieldError {
            return error
        } catch {
            Issue.record("unexpected \(error)")
            return nil
        }
    }

    @Test(arguments: [
        "https://10.1.2.3/", "https://172.16.0.1/", "https://172.31.255.255/", "https://192.168.1.1/",
        "https://127.0.0.1/", "https://127.8.9.10:8443/hook", "https://169.254.169.254/latest/meta-data", "https://100.64.0.1/",
        "https://100.127.255.254/", "https://0.0.0.0/", "https://[::1]/", "https://[::]/", "https://[fc00::1]/", "https://[fd12:3456::1]/",
        "https://[fe80::1]/", "https://[febf::1]/", "https://[::ffff:127.0.0.1]/", "https://[::ffff:10.0.0.1]/", "https://[64:ff9b::a9fe:a9fe]/",
        "https://224.0.0.1/", "https://255.255.255.255/", "https://[ff02::1]/",
    ])
    func privateLoopbackLinkLocalAndSpecialAddressesAreRefusedNamingURL(_ url: String) async throws {
        let error = try #require(await refusal(url))
        #expect(error.field == "url")
        #expect(error.message.contains("address"))
    }

    @Test(arguments: ["https://93.184.216.34/hook", "https://[2606:2800:220:1::1]/", "https://172.32.0.1/", "https://100.128.0.1/",
                      "https://erp.example.com/billport?x=1", "https://192.169.0.1:8443/"])
    func publicAddressesPass(_ url: String) async throws {
        #expect(await refusal(url) == nil)
    }

    @Test func everyResolvedAddressIsCheckedNotOnlyTheName() async throws {
        let rebound = try #require(await refusal("https://rebind.example.com/"))
        #expect(rebound.message.contains("10.0.0.7"))
        #expect(await refusal("https://inside.example.com/") != nil)
        let destination = try await WebhookDestinationPolicy().check("https://erp.example.com/hook", resolver: Self.resolver)
        #expect(destination.host == "erp.example.com")
        #expect(destination.port == 443)
        #expect(destination.addresses.map(\.description) == ["93.184.216.34", "2606:2800:220:1::1"])
        #expect(await refusal("https://unknown.example.com/")?.message.contains("cannot be resolved") == true)
    }

    @Test func userInfoAndPortTricksAreRefused() async throws {
        for url in ["https://example.com@127.0.0.1/", "https://erp.example.com:443@127.0.0.1/", "https://user:pw@erp.example.com/",
                    "https://erp.example.com%40127.0.0.1/", "https://erp.example.com:99999/", "https://erp.example.com/#frag"] {
            #expect(await refusal(url)?.field == "url", "\(url)")
        }
        #expect(await refusal("https://erp.example.com/path@v2") == nil)
        #expect(await refusal("https://erp.example.com/?from=a@b") == nil)
    }

    @Test func onlyHTTPSUnlessTheOperatorAllowsHTTP() async throws {
        #expect(await refusal("http://erp.example.com/")?.message.contains("https") == true)
        #expect(await refusal("ftp://erp.example.com/") != nil)
        #expect(await refusal("erp.example.com/hook") != nil)
        #expect(await refusal("http://erp.example.com/", WebhookDestinationPolicy(allowHTTP: true)) == nil)
        #expect(await refusal("ftp://erp.example.com/", WebhookDestinationPolicy(allowHTTP: true)) != nil)
    }

    @Test func privateDestinationsPassWhenAllowedButNeverUnspecifiedOrMulticast() async throws {
        let open = WebhookDestinationPolicy(allowHTTP: true, allowPrivateDestinations: true)
        for url in ["http://127.0.0.1:9000/", "https://10.0.0.1/", "https://[::1]/", "https://[fe80::1]/", "https://100.64.0.1/",
                    "https://rebind.example.com/"] {
            #expect(await refusal(url, open) == nil, "\(url)")
        }
        for url in ["https://0.0.0.0/", "https://[::]/", "https://224.0.0.1/", "https://[ff02::1]/"] {
            #expect(await refusal(url, open) != nil, "\(url)")
        }
    }

    /// The system resolver: `localhost` and numeric tricks (`0x7f.1`, a decimal address) resolve
    /// to loopback, so the resolved check refuses them though the names look harmless.
    @Test func namesResolvedByTheSystemToLoopbackAreRefused() async throws {
        let system = SystemHostResolver()
        for url in ["https://localhost/", "https://LOCALHOST:8443/x", "https://2130706433/", "https://0x7f.1/", "https://127.1/"] {
            let error: FieldError?
            do {
                _ = try await WebhookDestinationPolicy().check(url, resolver: system)
                error = nil
            } catch let refusal as FieldError { error = refusal }
            #expect(error?.field == "url", "\(url)")
            #expect(error?.message.contains("loopback") == true, "\(url): \(error?.message ?? "")")
        }
        let allowed = try await WebhookDestinationPolicy(allowPrivateDestinations: true).check("https://localhost/", resolver: system)
        #expect(allowed.addresses.allSatisfy { $0.description == "127.0.0.1" || $0.description == "::1" })
    }
}

@Suite struct WebhookEndpointRuleTests {
    @Test func eventTypesAreTheIssuesListOrStarForAll() throws {
        #expect(WebhookEventType.allCases.count == 13)
        #expect(try WebhookEndpointFields.eventTypes(["*"]) == nil)
        #expect(try WebhookEndpointFields.eventTypes(["invoice.paid", "email.failed", "invoice.paid"]) == [.invoicePaid, .emailFailed])
        #expect(throws: FieldError("eventTypes[1]", "is not an event type (known: \(WebhookEventType.allCases.map(\.rawValue).joined(separator: ", ")))")) {
            try WebhookEndpointFields.eventTypes(["invoice.paid", "invoice.opened"])
        }
        #expect(throws: FieldError.self) { try WebhookEndpointFields.eventTypes([]) }
        #expect(throws: FieldError.self) { try WebhookEndpointFields.eventTypes(["*", "invoice.paid"]) }
    }

    @Test func anEndpointWantsItsTypesOnlyWhileEnabled() {
        var endpoint = WebhookEndpoint(id: 1, url: "https://erp.example.com", description: "", eventTypes: [.invoicePaid], enabled: true,
                                       createdAt: Date(), updatedAt: Date(), previousSecretExpiresAt: nil)
        #expect(endpoint.wants(.invoicePaid))
        #expect(!endpoint.wants(.invoiceViewed))
        endpoint.eventTypes = nil
        #expect(endpoint.wants(.invoiceViewed))
        endpoint.enabled = false
        #expect(!endpoint.wants(.invoicePaid))
    }

    @Test func longFieldsAreRefusedNamingThem() {
        #expect(throws: FieldError.self) { try WebhookEndpointFields(url: "https://e.com/" + String(repeating: "a", count: 2048)).validate() }
        #expect((try? WebhookEndpointFields(description: String(repeating: "é", count: 500)).validate()) != nil)
        #expect(throws: FieldError.self) { try WebhookEndpointFields(description: String(repeating: "é", count: 501)).validate() }
    }
}
