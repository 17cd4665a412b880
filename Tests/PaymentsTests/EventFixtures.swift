/// Webhook bodies shaped like the samples in Stripe's API reference and event docs
/// (docs.stripe.com/api/events/object, /api/checkout/sessions/object, /api/charges/object),
/// with Billport's metadata. Fields Billport ignores are kept so that decoding proves it
/// ignores them.
enum EventFixtures {
    static let checkoutSessionCompleted = """
    {
      "id": "evt_1PfJkT2eZvKYlo2CqTnQmX8f",
      "object": "event",
      "api_version": "2024-06-20",
      "created": 1721822745,
      "data": {
        "object": {
          "id": "cs_test_a1YS1URlnyQCN5fUUduORoQ7Pw41PJqDWkIVQCpJPqkfIhd6tVY8XB1OLY",
          "object": "checkout.session",
          "after_expiration": null,
          "allow_promotion_codes": null,
          "amount_subtotal": 114000,
          "amount_total": 114000,
          "automatic_tax": {"enabled": false, "liability": null, "status": null},
          "billing_address_collection": null,
          "cancel_url": "https://billing.example/invoice/tok_abc?cancelled=1",
          "client_reference_id": "inv_7Hq2ZkP",
          "consent": null,
          "consent_collection": null,
          "created": 1721822701,
          "currency": "eur",
          "currency_conversion": null,
          "custom_fields": [],
          "custom_text": {"after_submit": null, "shipping_address": null, "submit": null, "terms_of_service_acceptance": null},
          "customer": null,
          "customer_creation": "if_required",
          "customer_details": {
            "address": {"city": "Berlin", "country": "DE", "line1": "Unter den Linden 1", "line2": null, "postal_code": "10117", "state": null},
            "email": "zoe.mueller@example.com",
            "name": "Zoë Müller",
            "phone": null,
            "tax_exempt": "none",
            "tax_ids": []
          },
          "customer_email": "billing@kunde.example",
          "expires_at": 1721909101,
          "invoice": null,
          "invoice_creation": {"enabled": false, "invoice_data": {"account_tax_ids": null, "custom_fields": null, "description": null, "footer": null, "issuer": null, "metadata": {}, "rendering_options": null}},
          "livemode": false,
          "locale": null,
          "metadata": {"tenant": "acme", "invoice": "inv_7Hq2ZkP"},
          "mode": "payment",
          "payment_intent": "pi_3PfJk92eZvKYlo2C0yNsRk5E",
          "payment_link": null,
          "payment_method_collection": "if_required",
          "payment_method_configuration_details": null,
          "payment_method_options": {"card": {"request_three_d_secure": "automatic"}},
          "payment_method_types": ["card"],
          "payment_status": "paid",
          "phone_number_collection": {"enabled": false},
          "recovered_from": null,
          "saved_payment_method_options": null,
          "setup_intent": null,
          "shipping_address_collection": null,
          "shipping_cost": null,
          "shipping_details": null,
          "shipping_options": [],
          "status": "complete",
          "submit_type": null,
          "subscription": null,
          "success_url": "https://billing.example/invoice/tok_abc/paid?session={CHECKOUT_SESSION_ID}",
          "total_details": {"amount_discount": 0, "amount_shipping": 0, "amount_tax": 0},
          "ui_mode": "hosted",
          "url": null
        }
      },
      "livemode": false,
      "pending_webhooks": 1,
      "request": {"id": null, "idempotency_key": null},
      "type": "checkout.session.completed"
    }
    """

    /// A SEPA Debit checkout: complete but unpaid at first, then the delayed result.
    static func asyncPayment(_ type: String, paymentStatus: String) -> String {
        """
        {
          "id": "evt_1PgAsy2eZvKYlo2CbE9DqY3L",
          "object": "event",
          "api_version": "2024-06-20",
          "created": 1722031200,
          "data": {
            "object": {
              "id": "cs_test_b1Qn0SEPAdebitSessionx9Zk2LmN4pQ7rT",
              "object": "checkout.session",
              "amount_total": 50000,
              "currency": "eur",
              "customer_details": null,
              "customer_email": null,
              "created": 1721822701,
              "expires_at": 1721909101,
              "livemode": false,
              "metadata": {"tenant": "acme", "invoice": "inv_9Xy"},
              "mode": "payment",
              "payment_intent": {"id": "pi_3PgAsx2eZvKYlo2C1sEPA123", "object": "payment_intent", "amount": 50000},
              "payment_method_types": ["sepa_debit"],
              "payment_status": "\(paymentStatus)",
              "status": "complete",
              "url": null
            }
          },
          "livemode": false,
          "pending_webhooks": 2,
          "request": {"id": null, "idempotency_key": null},
          "type": "\(type)"
        }
        """
    }

    /// `charge.refunded` as API versions before 2022-11-15 render it: with the refunds list.
    static let chargeRefunded = """
    {
      "id": "evt_3PfJk92eZvKYlo2C0m2b8XyA",
      "object": "event",
      "api_version": "2020-08-27",
      "created": 1722250000,
      "data": {
        "object": {
          "id": "ch_3PfJk92eZvKYlo2C0k1Xq9Vb",
          "object": "charge",
          "amount": 114000,
          "amount_captured": 114000,
          "amount_refunded": 40000,
          "application": null,
          "application_fee": null,
          "balance_transaction": "txn_3PfJk92eZvKYlo2C0o7VhW2c",
          "billing_details": {"address": {"city": null, "country": "DE", "line1": null, "line2": null, "postal_code": null, "state": null}, "email": "zoe.mueller@example.com", "name": "Zoë Müller", "phone": null},
          "calculated_statement_descriptor": "ACME GMBH",
          "captured": true,
          "created": 1721822744,
          "currency": "eur",
          "customer": null,
          "description": null,
          "disputed": false,
          "failure_code": null,
          "failure_message": null,
          "livemode": false,
          "metadata": {"tenant": "acme", "invoice": "inv_7Hq2ZkP"},
          "outcome": {"network_status": "approved_by_network", "reason": null, "risk_level": "normal", "risk_score": 32, "seller_message": "Payment complete.", "type": "authorized"},
          "paid": true,
          "payment_intent": "pi_3PfJk92eZvKYlo2C0yNsRk5E",
          "payment_method": "pm_1PfJk82eZvKYlo2CmW3nQ0aZ",
          "payment_method_details": {"card": {"brand": "visa", "country": "US", "exp_month": 8, "exp_year": 2027, "funding": "credit", "last4": "4242"}, "type": "card"},
          "receipt_email": null,
          "receipt_url": "https://pay.stripe.com/receipts/payment/CAcaFwoVYWNjdF8xTTJKVGtMa2RJd0h1N2l4",
          "refunded": false,
          "refunds": {
            "object": "list",
            "data": [
              {
                "id": "re_3PfJk92eZvKYlo2C0Qd8uGxR",
                "object": "refund",
                "amount": 25000,
                "balance_transaction": "txn_3PfJk92eZvKYlo2C0pC3cD4e",
                "charge": "ch_3PfJk92eZvKYlo2C0k1Xq9Vb",
                "created": 1722249990,
                "currency": "eur",
                "metadata": {"reason_note": "partial goodwill"},
                "payment_intent": "pi_3PfJk92eZvKYlo2C0yNsRk5E",
                "reason": "requested_by_customer",
                "receipt_number": null,
                "source_transfer_reversal": null,
                "status": "succeeded",
                "transfer_reversal": null
              },
              {
                "id": "re_3PfJk92eZvKYlo2C0aB1cD2e",
                "object": "refund",
                "amount": 15000,
                "balance_transaction": "txn_3PfJk92eZvKYlo2C0x1y2z3a",
                "charge": "ch_3PfJk92eZvKYlo2C0k1Xq9Vb",
                "created": 1722000000,
                "currency": "eur",
                "metadata": {},
                "payment_intent": "pi_3PfJk92eZvKYlo2C0yNsRk5E",
                "reason": null,
                "receipt_number": null,
                "source_transfer_reversal": null,
                "status": "succeeded",
                "transfer_reversal": null
              }
            ],
            "has_more": false,
            "total_count": 2,
            "url": "/v1/charges/ch_3PfJk92eZvKYlo2C0k1Xq9Vb/refunds"
          },
          "review": null,
          "shipping": null,
          "source_transfer": null,
          "statement_descriptor": null,
          "status": "succeeded",
          "transfer_data": null,
          "transfer_group": null
        },
        "previous_attributes": {"amount_refunded": 15000, "refunds": {"data": [], "total_count": 1}}
      },
      "livemode": false,
      "pending_webhooks": 1,
      "request": {"id": "req_Vq0l8bFfZyN2xw", "idempotency_key": "7c1d9a1e-2a44-4c8b-9d0e-4b2f0c6a8e11"},
      "type": "charge.refunded"
    }
    """

    /// `charge.refunded` as current API versions render it: no refunds list, fully refunded.
    static let chargeRefundedWithoutList = """
    {
      "id": "evt_3QaBc12eZvKYlo2C1fullRfd",
      "object": "event",
      "api_version": "2024-06-20",
      "created": 1722250100,
      "data": {
        "object": {
          "id": "ch_3QaBc12eZvKYlo2C1Zz9Yy8X",
          "object": "charge",
          "amount": 5000,
          "amount_captured": 5000,
          "amount_refunded": 5000,
          "captured": true,
          "created": 1722200000,
          "currency": "usd",
          "livemode": false,
          "metadata": {},
          "paid": true,
          "payment_intent": null,
          "refunded": true,
          "status": "succeeded"
        }
      },
      "livemode": false,
      "pending_webhooks": 1,
      "request": {"id": null, "idempotency_key": null},
      "type": "charge.refunded"
    }
    """

    /// A type Billport does not act on, whose object it could not decode anyway.
    static let invoicePaid = """
    {"id": "evt_1Other", "object": "event", "api_version": "2024-06-20", "created": 1722250200,
     "data": {"object": {"id": "in_1Abc", "object": "invoice", "amount_paid": 2000}},
     "livemode": true, "pending_webhooks": 1, "request": {"id": null, "idempotency_key": null}, "type": "invoice.paid"}
    """
}
