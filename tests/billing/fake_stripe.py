"""A small stand-in for the Stripe API on 127.0.0.1, for tests: the endpoints Kinerja calls (customers,
checkout and billing-portal sessions, subscriptions, subscription items, invoices), answered the way
Stripe answers them, plus controls that play what happens on Stripe's side (a customer finishing
Checkout, a trial ending, a card failing, a payment arriving) and return the events Stripe would send.

It checks the secret key, records every request with its Idempotency-Key, and replays the stored
answer for a repeated key as Stripe does (and refuses a reused key with different parameters)."""
from __future__ import annotations

import copy
import itertools
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

DAY = 24 * 3600


def decode_form(pairs: list[tuple[str, str]]) -> dict:
    """Stripe's form encoding (a[b][0][c]=v) back into nested dicts and lists."""
    root: dict = {}
    for key, value in pairs:
        parts = re.findall(r"[^\[\]]+", key)
        node = root
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value

    def listify(node):
        if isinstance(node, dict):
            if node and all(k.isdigit() for k in node):
                return [listify(node[k]) for k in sorted(node, key=int)]
            return {k: listify(v) for k, v in node.items()}
        return node

    return listify(root)


class StripeError(Exception):
    def __init__(self, status: int, message: str, kind: str = "invalid_request_error", code: str = ""):
        super().__init__(message)
        self.status, self.message, self.kind, self.code = status, message, kind, code


class FakeStripe:
    def __init__(self, secret_key: str):
        self.secret_key = secret_key
        self.lock = threading.RLock()
        self.server: ThreadingHTTPServer | None = None
        self.reset()

    # --- state ----------------------------------------------------------------------------------

    def reset(self) -> None:
        with self.lock:
            self.clock = int(time.time())
            self.ids = itertools.count(1)
            self.customers: dict[str, dict] = {}
            self.sessions: dict[str, dict] = {}
            self.portal_sessions: dict[str, dict] = {}
            self.subscriptions: dict[str, dict] = {}
            self.invoices: dict[str, dict] = {}
            self.requests: list[dict] = []
            self.idempotent: dict[str, tuple[dict, int, dict]] = {}
            self.fail_next: list[StripeError] = []

    def new_id(self, prefix: str) -> str:
        return f"{prefix}_test{next(self.ids):06d}"

    def tick(self, seconds: int = 1) -> int:
        self.clock += seconds
        return self.clock

    def event(self, event_type: str, obj: dict, *, created: int | None = None) -> dict:
        return {"id": self.new_id("evt"), "object": "event", "api_version": "2026-10-28.endive",
                "type": event_type, "created": created if created is not None else self.tick(),
                "livemode": False, "pending_webhooks": 1, "request": {"id": None, "idempotency_key": None},
                "data": {"object": copy.deepcopy(obj)}}

    # --- HTTP -----------------------------------------------------------------------------------

    def start(self) -> str:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self, method: str) -> None:
                url = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode() if length else ""
                params = decode_form(parse_qsl(url.query) + parse_qsl(body))
                status, payload = fake.handle(method, url.path, params, dict(self.headers.items()))
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Request-Id", f"req_{time.time_ns()}")
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                self._answer("GET")

            def do_POST(self):
                self._answer("POST")

            def do_DELETE(self):
                self._answer("DELETE")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    def handle(self, method: str, path: str, params: dict, headers: dict) -> tuple[int, dict]:
        headers = {k.lower(): v for k, v in headers.items()}
        key = headers.get("idempotency-key")
        with self.lock:
            self.requests.append({"method": method, "path": path, "params": params, "idempotency_key": key})
            if headers.get("authorization") != f"Bearer {self.secret_key}":
                return 401, {"error": {"type": "invalid_request_error", "message": "Invalid API Key provided"}}
            if method == "POST" and key and key in self.idempotent:
                stored_params, status, payload = self.idempotent[key]
                if stored_params != {"path": path, **params}:
                    return 400, {"error": {"type": "idempotency_error",
                                           "message": "Keys for idempotent requests can only be used with the "
                                                      "same parameters they were first used with."}}
                return status, payload
            try:
                if self.fail_next:
                    raise self.fail_next.pop(0)
                status, payload = 200, self.route(method, path, params)
            except StripeError as error:
                status, payload = error.status, {"error": {"type": error.kind, "message": error.message,
                                                           "code": error.code}}
            if method == "POST" and key:
                self.idempotent[key] = ({"path": path, **params}, status, copy.deepcopy(payload))
            return status, payload

    def route(self, method: str, path: str, params: dict) -> dict:
        routes = [
            ("POST", r"/v1/customers", self.create_customer),
            ("GET", r"/v1/customers/(?P<id>[^/]+)", lambda p, id: self.get(self.customers, id, "customer")),
            ("POST", r"/v1/checkout/sessions", self.create_checkout_session),
            ("GET", r"/v1/checkout/sessions/(?P<id>[^/]+)", lambda p, id: self.get(self.sessions, id, "session")),
            ("POST", r"/v1/billing_portal/sessions", self.create_portal_session),
            ("GET", r"/v1/subscriptions/(?P<id>[^/]+)", lambda p, id: self.get(self.subscriptions, id, "subscription")),
            ("POST", r"/v1/subscriptions/(?P<id>[^/]+)", self.update_subscription),
            ("GET", r"/v1/subscription_items/(?P<id>[^/]+)", lambda p, id: self.item(id)[1]),
            ("POST", r"/v1/subscription_items/(?P<id>[^/]+)", self.update_subscription_item),
            ("GET", r"/v1/invoices", self.list_invoices),
            ("GET", r"/v1/invoices/(?P<id>[^/]+)", lambda p, id: self.get(self.invoices, id, "invoice")),
        ]
        for route_method, pattern, handler in routes:
            match = re.fullmatch(pattern, path)
            if match and route_method == method:
                return copy.deepcopy(handler(params, **match.groupdict()))
        raise StripeError(404, f"Unrecognized request URL ({method}: {path}).")

    @staticmethod
    def get(table: dict, object_id: str, kind: str) -> dict:
        if object_id not in table:
            raise StripeError(404, f"No such {kind}: '{object_id}'", code="resource_missing")
        return table[object_id]

    @staticmethod
    def require(params: dict, *names: str) -> None:
        for name in names:
            if name not in params or params[name] in ("", None):
                raise StripeError(400, f"Missing required param: {name}.", code="parameter_missing")

    # --- endpoints ------------------------------------------------------------------------------

    def create_customer(self, params: dict) -> dict:
        customer = {"id": self.new_id("cus"), "object": "customer", "created": self.clock,
                    "name": params.get("name"), "email": params.get("email"), "metadata": params.get("metadata", {}),
                    "livemode": False}
        self.customers[customer["id"]] = customer
        return customer

    def create_checkout_session(self, params: dict) -> dict:
        self.require(params, "mode", "success_url", "line_items")
        if params["mode"] != "subscription":
            raise StripeError(400, "Only subscription mode is simulated.")
        if params.get("customer") and params["customer"] not in self.customers:
            raise StripeError(400, f"No such customer: '{params['customer']}'", code="resource_missing")
        line = params["line_items"][0]
        price = line.get("price_data") or {}
        if price.get("currency") != "idr" or not str(price.get("unit_amount", "")).isdigit():
            raise StripeError(400, "line_items[0][price_data] needs currency and a whole unit_amount.")
        if int(line.get("quantity", 0)) < 1:
            raise StripeError(400, "line_items[0][quantity] must be at least 1.")
        session = {"id": self.new_id("cs"), "object": "checkout.session", "mode": "subscription",
                   "status": "open", "customer": params.get("customer"), "subscription": None,
                   "client_reference_id": params.get("client_reference_id"),
                   "success_url": params["success_url"], "cancel_url": params.get("cancel_url"),
                   "metadata": params.get("metadata", {}), "created": self.clock,
                   "_line": line, "_subscription_data": params.get("subscription_data", {})}
        session["url"] = f"https://checkout.stripe.com/c/pay/{session['id']}"
        self.sessions[session["id"]] = session
        return self.public(session)

    def create_portal_session(self, params: dict) -> dict:
        self.require(params, "customer")
        self.get(self.customers, params["customer"], "customer")
        session = {"id": self.new_id("bps"), "object": "billing_portal.session", "customer": params["customer"],
                   "return_url": params.get("return_url"), "created": self.clock, "livemode": False}
        session["url"] = f"https://billing.stripe.com/p/session/{session['id']}"
        self.portal_sessions[session["id"]] = session
        return session

    def update_subscription(self, params: dict, id: str) -> dict:
        subscription = self.get(self.subscriptions, id, "subscription")
        if "cancel_at_period_end" in params:
            subscription["cancel_at_period_end"] = params["cancel_at_period_end"] == "true"
        subscription["metadata"].update(params.get("metadata", {}))
        return subscription

    def item(self, item_id: str) -> tuple[dict, dict]:
        for subscription in self.subscriptions.values():
            for item in subscription["items"]["data"]:
                if item["id"] == item_id:
                    return subscription, item
        raise StripeError(404, f"No such subscription item: '{item_id}'", code="resource_missing")

    def update_subscription_item(self, params: dict, id: str) -> dict:
        subscription, item = self.item(id)
        if subscription["status"] in {"canceled", "incomplete_expired"}:
            raise StripeError(400, "A canceled subscription can only update its cancellation_details.")
        if "quantity" in params:
            if not str(params["quantity"]).isdigit():
                raise StripeError(400, "Invalid integer: quantity")
            item["quantity"] = int(params["quantity"])
            subscription["quantity"] = item["quantity"]
        return item

    def list_invoices(self, params: dict) -> dict:
        data = [i for i in self.invoices.values() if not params.get("customer") or i["customer"] == params["customer"]]
        data.sort(key=lambda i: (i["created"], i["id"]), reverse=True)
        limit = int(params.get("limit", 10))
        return {"object": "list", "url": "/v1/invoices", "has_more": len(data) > limit, "data": data[:limit]}

    @staticmethod
    def public(obj: dict) -> dict:
        return {k: v for k, v in obj.items() if not k.startswith("_")}

    # --- what happens on Stripe's side ----------------------------------------------------------

    def _invoice(self, subscription: dict, *, amount: int, paid: bool, reason: str) -> dict:
        item = subscription["items"]["data"][0]
        invoice = {
            "id": self.new_id("in"), "object": "invoice", "customer": subscription["customer"],
            "number": f"KNJ-{next(self.ids):04d}", "status": "paid" if paid else "open", "currency": "idr",
            "amount_due": amount, "amount_paid": amount if paid else 0, "amount_remaining": 0 if paid else amount,
            "billing_reason": reason, "created": self.clock, "due_date": None,
            "period_start": item["current_period_start"], "period_end": item["current_period_end"],
            "hosted_invoice_url": f"https://invoice.stripe.com/i/{next(self.ids)}",
            "status_transitions": {"paid_at": self.clock if paid else None, "finalized_at": self.clock},
            "lines": {"object": "list", "data": [{
                "object": "line_item", "amount": amount, "quantity": item["quantity"],
                "period": {"start": item["current_period_start"], "end": item["current_period_end"]}}]},
            "parent": {"type": "subscription_details", "subscription_details": {"subscription": subscription["id"]}},
        }
        self.invoices[invoice["id"]] = invoice
        subscription["latest_invoice"] = invoice["id"]
        return invoice

    def _amount(self, subscription: dict) -> int:
        item = subscription["items"]["data"][0]
        return item["price"]["unit_amount"] * item["quantity"]

    def complete_checkout(self, session_id: str) -> list[dict]:
        """The customer enters a card on the Checkout page: the subscription starts (in trial when the
        session asked for one, else with a first invoice paid)."""
        with self.lock:
            session = self.sessions[session_id]
            line, data = session["_line"], session["_subscription_data"]
            trial_days = int(data.get("trial_period_days") or 0)
            now = self.tick()
            period_end = now + (trial_days * DAY if trial_days else 30 * DAY)
            price = line["price_data"]
            subscription = {
                "id": self.new_id("sub"), "object": "subscription", "customer": session["customer"],
                "status": "trialing" if trial_days else "active", "created": now, "start_date": now,
                "trial_start": now if trial_days else None, "trial_end": period_end if trial_days else None,
                "cancel_at_period_end": False, "currency": "idr", "metadata": data.get("metadata", {}),
                "latest_invoice": None, "quantity": int(line["quantity"]),
                "items": {"object": "list", "data": [{
                    "id": self.new_id("si"), "object": "subscription_item", "quantity": int(line["quantity"]),
                    "current_period_start": now, "current_period_end": period_end,
                    "price": {"id": self.new_id("price"), "object": "price", "currency": "idr",
                              "unit_amount": int(price["unit_amount"]), "recurring": {"interval": "month"},
                              "product": self.new_id("prod")}}]},
            }
            self.subscriptions[subscription["id"]] = subscription
            session.update(status="complete", subscription=subscription["id"])
            events = [self.event("customer.subscription.created", subscription, created=now)]
            if not trial_days:
                invoice = self._invoice(subscription, amount=self._amount(subscription), paid=True,
                                        reason="subscription_create")
                events.append(self.event("invoice.paid", invoice, created=now))
            events.append(self.event("checkout.session.completed", self.public(session), created=now))
            return events

    def _new_period(self, subscription: dict) -> None:
        item = subscription["items"]["data"][0]
        start = max(self.clock, item["current_period_end"])
        self.clock = start
        item["current_period_start"], item["current_period_end"] = start, start + 30 * DAY

    def end_trial(self, subscription_id: str, *, pay: bool = True) -> list[dict]:
        with self.lock:
            subscription = self.subscriptions[subscription_id]
            self._new_period(subscription)
            self.tick()
            invoice = self._invoice(subscription, amount=self._amount(subscription), paid=pay,
                                    reason="subscription_cycle")
            subscription["status"] = "active" if pay else "past_due"
            return [self.event("customer.subscription.trial_will_end", subscription),
                    self.event("invoice.paid" if pay else "invoice.payment_failed", invoice),
                    self.event("customer.subscription.updated", subscription)]

    def renew(self, subscription_id: str, *, pay: bool) -> list[dict]:
        """A new month: the card is charged for it, successfully or not."""
        with self.lock:
            subscription = self.subscriptions[subscription_id]
            self._new_period(subscription)
            self.tick()
            invoice = self._invoice(subscription, amount=self._amount(subscription), paid=pay,
                                    reason="subscription_cycle")
            subscription["status"] = "active" if pay else "past_due"
            return [self.event("invoice.paid" if pay else "invoice.payment_failed", invoice),
                    self.event("customer.subscription.updated", subscription)]

    def retries_exhausted(self, subscription_id: str, *, then: str = "unpaid") -> list[dict]:
        with self.lock:
            subscription = self.subscriptions[subscription_id]
            self.tick(14 * DAY)
            subscription["status"] = then
            kind = "customer.subscription.deleted" if then == "canceled" else "customer.subscription.updated"
            return [self.event(kind, subscription)]

    def pay_open_invoice(self, subscription_id: str) -> list[dict]:
        """The customer updates the card in the portal and the open invoice is paid."""
        with self.lock:
            subscription = self.subscriptions[subscription_id]
            invoice = self.invoices[subscription["latest_invoice"]]
            now = self.tick()
            invoice.update(status="paid", amount_paid=invoice["amount_due"], amount_remaining=0)
            invoice["status_transitions"]["paid_at"] = now
            subscription["status"] = "active"
            return [self.event("invoice.paid", invoice), self.event("customer.subscription.updated", subscription)]

    def post_requests(self) -> list[dict]:
        return [r for r in self.requests if r["method"] == "POST"]
