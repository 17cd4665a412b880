"""Stripe's Checkout Session parameters as the fake provider (fake-stripe.py) checks them.

Parses form pairs with nested keys (line_items[0][price_data][currency]) into objects, refuses
what Stripe refuses (unknown or missing parameters, bad integers and currencies, a total below
the currency's minimum charge, metadata over its limits) with Stripe's error envelope, and
builds the session object and the events the fake sends.
"""

import re
import secrets
import string
import time

MINIMUM_CHARGE = {
    "usd": 50, "eur": 50, "chf": 50, "cad": 50, "aud": 50, "nzd": 50, "sgd": 50, "brl": 50,
    "inr": 50, "gbp": 30, "dkk": 250, "nok": 300, "sek": 300, "pln": 200, "czk": 1500,
    "huf": 17500, "jpy": 50, "mxn": 1000, "hkd": 400, "ron": 200, "bgn": 100, "aed": 200,
    "thb": 1000, "myr": 200,
}

ALLOWED = {
    "": {"mode", "line_items", "success_url", "cancel_url", "customer_email", "metadata",
         "payment_intent_data", "client_reference_id", "expires_at", "locale", "customer",
         "payment_method_types"},
    "line_items[]": {"price_data", "quantity", "price"},
    "price_data": {"currency", "unit_amount", "unit_amount_decimal", "product_data"},
    "product_data": {"name", "description", "metadata"},
    "payment_intent_data": {"metadata", "description", "receipt_email", "statement_descriptor"},
}


class StripeError(Exception):
    def __init__(self, status, message, type_="invalid_request_error", code=None, param=None):
        super().__init__(message)
        self.status, self.message, self.type, self.code, self.param = status, message, type_, code, param

    def body(self):
        error = {"type": self.type, "message": self.message}
        if self.code:
            error["code"] = self.code
            error["doc_url"] = "https://stripe.com/docs/error-codes/" + self.code.replace("_", "-")
        if self.param:
            error["param"] = self.param
        return {"error": error}


def random_id(prefix, length):
    alphabet = string.ascii_letters + string.digits
    return prefix + "".join(secrets.choice(alphabet) for _ in range(length))


def parse_nested(pairs):
    """Turns Rack/Stripe-style keys (a[b][0][c]=v) into nested dicts; numeric keys stay strings
    here and are checked where a list is expected."""
    root = {}
    for key, value in pairs:
        match = re.fullmatch(r"([^\[\]]+)((?:\[[^\[\]]*\])*)", key)
        if not match:
            raise StripeError(400, "Invalid parameter name: %s" % key, param=key)
        parts = [match.group(1)] + re.findall(r"\[([^\[\]]*)\]", match.group(2))
        node = root
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            if last:
                if isinstance(node.get(part), dict):
                    raise StripeError(400, "Invalid hash: %s" % key, param=key)
                node[part] = value
            else:
                child = node.setdefault(part, {})
                if not isinstance(child, dict):
                    raise StripeError(400, "Invalid hash: %s" % key, param=key)
                node = child
    return root


def as_list(value, name):
    if not isinstance(value, dict) or not all(k.isdigit() for k in value):
        raise StripeError(400, "Invalid array", param=name)
    indices = sorted(int(k) for k in value)
    if indices != list(range(len(indices))):
        raise StripeError(400, "Invalid array: indices must start at 0 and be contiguous", param=name)
    return [value[str(i)] for i in indices]


def check_known(params, allowed_key, name):
    for key in params:
        if key not in ALLOWED[allowed_key]:
            full = "%s[%s]" % (name, key) if name else key
            raise StripeError(400, "Received unknown parameter: %s" % full, code="parameter_unknown", param=full)


def as_integer(value, param):
    if not isinstance(value, str) or not re.fullmatch(r"-?[0-9]+", value):
        raise StripeError(400, "Invalid integer: %s" % value, code="parameter_invalid_integer", param=param)
    return int(value)


def check_metadata(metadata, name):
    if metadata == "":
        return {}
    if not isinstance(metadata, dict):
        raise StripeError(400, "Invalid object", param=name)
    if len(metadata) > 50:
        raise StripeError(400, "Metadata can have at most 50 keys", param=name)
    for key, value in metadata.items():
        if not isinstance(value, str):
            raise StripeError(400, "Invalid metadata value", param="%s[%s]" % (name, key))
        if len(key) > 40:
            raise StripeError(400, "Metadata keys can have up to 40 characters", param="%s[%s]" % (name, key))
        if len(value) > 500:
            raise StripeError(400, "Metadata values can have up to 500 characters", param="%s[%s]" % (name, key))
    return metadata


def check_url(params, name, required):
    value = params.get(name)
    if value is None:
        if required:
            raise StripeError(400, "Missing required param: %s." % name, code="parameter_missing", param=name)
        return None
    if not re.fullmatch(r"https?://[^\s]+", value):
        raise StripeError(400, "Not a valid URL", code="url_invalid", param=name)
    return value


def create_session(params):
    """Validates the parameters like Stripe and returns the new session object."""
    check_known(params, "", "")
    mode = params.get("mode")
    if mode is None:
        raise StripeError(400, "Missing required param: mode.", code="parameter_missing", param="mode")
    if mode != "payment":
        raise StripeError(400, "This fake only supports mode=payment", param="mode")
    if "line_items" not in params:
        raise StripeError(400, "You must specify `line_items` in `payment` mode.", code="parameter_missing",
                          param="line_items")
    items = as_list(params["line_items"], "line_items")
    if not items:
        raise StripeError(400, "You must specify `line_items` in `payment` mode.", param="line_items")
    success_url = check_url(params, "success_url", required=True)
    cancel_url = check_url(params, "cancel_url", required=False)
    total, currency, line_names = 0, None, []
    for index, item in enumerate(items):
        name = "line_items[%d]" % index
        if not isinstance(item, dict):
            raise StripeError(400, "Invalid object", param=name)
        check_known(item, "line_items[]", name)
        quantity = as_integer(item.get("quantity", ""), name + "[quantity]")
        if quantity < 1:
            raise StripeError(400, "Quantity must be at least 1", param=name + "[quantity]")
        price_data = item.get("price_data")
        if not isinstance(price_data, dict):
            raise StripeError(400, "Missing required param: %s[price_data]." % name, code="parameter_missing",
                              param=name + "[price_data]")
        check_known(price_data, "price_data", name + "[price_data]")
        item_currency = price_data.get("currency", "")
        if item_currency not in MINIMUM_CHARGE:
            raise StripeError(400, "Invalid currency: %s. Stripe currently supports these currencies: %s"
                              % (item_currency, ", ".join(sorted(MINIMUM_CHARGE))),
                              code="parameter_invalid_string", param=name + "[price_data][currency]")
        if currency is not None and item_currency != currency:
            raise StripeError(400, "All line items must have the same currency", param=name + "[price_data][currency]")
        currency = item_currency
        amount = as_integer(price_data.get("unit_amount", ""), name + "[price_data][unit_amount]")
        if amount < 0:
            raise StripeError(400, "This value must be greater than or equal to 0.",
                              param=name + "[price_data][unit_amount]")
        product = price_data.get("product_data")
        if not isinstance(product, dict) or not product.get("name"):
            raise StripeError(400, "Missing required param: %s[price_data][product_data][name]." % name,
                              code="parameter_missing", param=name + "[price_data][product_data][name]")
        check_known(product, "product_data", name + "[price_data][product_data]")
        line_names.append(product["name"])
        total += amount * quantity
    minimum = MINIMUM_CHARGE[currency]
    if total < minimum:
        raise StripeError(400, "The Checkout Session's total amount due must add up to at least %d %s (in minor units)."
                          % (minimum, currency), code="amount_too_small",
                          param="line_items[0][price_data][unit_amount]")
    email = params.get("customer_email")
    if email is not None and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        raise StripeError(400, "Invalid email address: %s" % email, code="email_invalid", param="customer_email")
    metadata = check_metadata(params.get("metadata", {}), "metadata")
    intent_data = params.get("payment_intent_data", {})
    if not isinstance(intent_data, dict):
        raise StripeError(400, "Invalid object", param="payment_intent_data")
    check_known(intent_data, "payment_intent_data", "payment_intent_data")
    intent_metadata = check_metadata(intent_data.get("metadata", {}), "payment_intent_data[metadata]")
    now = int(time.time())
    session_id = random_id("cs_test_a1", 56)
    return {
        "id": session_id, "object": "checkout.session", "after_expiration": None,
        "allow_promotion_codes": None, "amount_subtotal": total, "amount_total": total,
        "automatic_tax": {"enabled": False, "liability": None, "status": None},
        "billing_address_collection": None, "cancel_url": cancel_url,
        "client_reference_id": params.get("client_reference_id"), "consent": None,
        "created": now, "currency": currency, "custom_fields": [], "customer": None,
        "customer_creation": "if_required", "customer_details": None, "customer_email": email,
        "expires_at": now + 86400, "invoice": None, "livemode": False, "locale": None,
        "metadata": metadata, "mode": "payment", "payment_intent": None, "payment_link": None,
        "payment_method_types": ["card"], "payment_status": "unpaid", "status": "open",
        "success_url": success_url, "total_details": {"amount_discount": 0, "amount_shipping": 0, "amount_tax": 0},
        "url": "https://checkout.stripe.com/c/pay/" + session_id,
        # Not part of Stripe's session object: kept for the events this fake builds later.
        "_intent_metadata": intent_metadata, "_line_names": line_names,
    }


def public(session):
    return {k: v for k, v in session.items() if not k.startswith("_")}


def event(type_, obj):
    return {"id": random_id("evt_1", 23), "object": "event", "api_version": "2024-06-20",
            "created": int(time.time()), "data": {"object": obj}, "livemode": False,
            "pending_webhooks": 1, "request": {"id": None, "idempotency_key": None}, "type": type_}
