"""Bad input at every JSON-body endpoint of the API: a clear 400 in both languages, nothing written.

The endpoints and their string fields come from the OpenAPI schema generated in-process, and each
has a valid payload in `CASES` below. `test_every_json_body_endpoint_has_a_case` and
`test_every_string_field_is_in_its_payload` fail when the schema gains an endpoint or a string
field that the table does not cover, so a new field cannot miss these checks. Every valid payload
is first shown to be accepted, so each 400 below comes from the one value that was spoiled.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from customer_ops.domain.incidents import POSTMORTEM_FIELDS
from customer_ops.domain.transitions import TicketStatus
from customer_ops.models import LedgerEntry, OutboundDraft, Ticket
from customer_ops.services.drafts import draft_approve
from customer_ops.services.incidents import incident_change_status
from customer_ops.services.tickets import ticket_change_status
from tests.factories import World

pytestmark = pytest.mark.django_db

# One of each refused class; ZWJ goes between two letters (no emoji around it).
REFUSED = {
    "NUL": "\x00",
    "RLO": "\u202e",
    "RLI": "\u2067",
    "ZWJ": "\u200d",
    "ZWSP": "\u200b",
    "BOM": "\ufeff",
}
ARABIC = re.compile(r"[\u0600-\u06ff]")
METHODS = ("get", "post", "put", "patch", "delete")
Path = tuple[str | int, ...]  # field names; "*" for any key of a dict; 0 for a list's items


# ── The schema ───────────────────────────────────────────────────────────────────────────────────
@functools.cache
def _schema() -> dict[str, Any]:
    return SchemaGenerator().get_schema(request=None, public=True)  # type: ignore[no-any-return]


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    components = _schema()["components"]["schemas"]
    while "$ref" in node:
        node = components[node["$ref"].rsplit("/", 1)[-1]]
    return node


def _string_paths(node: dict[str, Any], prefix: Path = ()) -> Iterator[Path]:
    """Every place in a request body schema where a string goes."""
    node = _resolve(node)
    if node.get("readOnly"):
        return
    for key in ("oneOf", "anyOf", "allOf"):
        for option in node.get(key, []):
            yield from _string_paths(option, prefix)
    kind = node.get("type")
    if kind == "object" or "properties" in node:
        for name, inner in node.get("properties", {}).items():
            yield from _string_paths(inner, (*prefix, name))
        extra = node.get("additionalProperties")
        if isinstance(extra, dict) and extra:
            yield from _string_paths(extra, (*prefix, "*"))
    elif kind == "array":
        yield from _string_paths(node["items"], (*prefix, 0))
    elif kind == "string" or ("enum" in node and kind is None):
        yield prefix


@functools.cache
def json_body_operations() -> dict[tuple[str, str], tuple[Path, ...]]:
    """(method, path) of each operation taking a JSON body → the string fields of that body."""
    operations: dict[tuple[str, str], tuple[Path, ...]] = {}
    for path, item in _schema()["paths"].items():
        for method in METHODS:
            body = item.get(method, {}).get("requestBody")
            if body is None:
                continue
            schema = body["content"].get("application/json", {}).get("schema", {})
            operations[(method, path)] = tuple(dict.fromkeys(_string_paths(schema)))
    return operations


def query_operations() -> list[tuple[str, str]]:
    """(path, parameter) of every query parameter a GET operation declares."""
    found = []
    for path, item in _schema()["paths"].items():
        for parameter in item.get("get", {}).get("parameters", []):
            if parameter.get("in") == "query":
                found.append((path, parameter["name"]))
    return found


# ── The world each request runs against: the `world` fixture (tests/conftest.py) ─────────────────
@pytest.fixture
def api(founder_api: APIClient) -> APIClient:
    """Founders may call every endpoint (approve/reject are theirs alone)."""
    return founder_api


def url_of(path: str, world: World) -> str:
    if path.startswith("/api/v1/messages/{id}/"):
        return path.replace("{id}", str(world.unmatched_message_id))
    ids = {
        "/api/v1/customers/": world.customer.pk,
        "/api/v1/drafts/": world.draft.pk,
        "/api/v1/tickets/": world.ticket.pk,
        "/api/v1/incidents/": world.incident.pk,
        "/api/v1/ledger/": LedgerEntry.objects.values_list("pk", flat=True).first(),
    }
    if "{id}" in path:
        path = path.replace("{id}", str(ids[path.split("{id}")[0]]))
    # A holiday the package lists every year (Founding Day), in a year the calendar accepts.
    path = path.replace("{day}", f"{world.now.year}-02-22")
    return path.replace("{position}", "1")


def row_counts() -> dict[str, int]:
    """Rows of every model of the project's apps (the action ledger among them)."""
    return {
        model._meta.label: model._default_manager.count()
        for label in ("customer_ops", "positioning")
        for model in apps.get_app_config(label).get_models()
    }


def send(api: APIClient, method: str, url: str, body: Any) -> Any:
    return getattr(api, method)(url, json.dumps(body), content_type="application/json")


# ── The valid payload of each endpoint ───────────────────────────────────────────────────────────
@dataclass(frozen=True)
class Case:
    payload: Callable[[World], dict[str, Any]]
    prepare: Callable[[World], object] | None = None  # the state the valid payload needs


def _approve_draft(w: World) -> object:
    return draft_approve(draft_id=w.draft.pk, approver=w.founder, now=w.now)


def _send_outcome_unknown(w: World) -> object:
    """An approved draft whose send started ten minutes ago and was never recorded."""
    draft_approve(draft_id=w.draft.pk, approver=w.founder, now=w.now)
    started = w.now - dt.timedelta(minutes=10)
    return OutboundDraft.objects.filter(pk=w.draft.pk).update(send_started_at=started)


def _resolve_ticket(w: World) -> object:
    return ticket_change_status(
        ticket_id=w.ticket.pk, to=TicketStatus.RESOLVED, actor=w.operator, now=w.now
    )


def _resolve_incident(w: World) -> object:
    incident_change_status(incident_id=w.incident.pk, to="mitigating", actor=w.operator, now=w.now)
    return incident_change_status(
        incident_id=w.incident.pk, to="resolved", actor=w.operator, now=w.now
    )


CUSTOMER_FIELDS = {
    "company_name": "شركة الأفق",
    "bundle": "growth_starter",
    "sector": "تجزئة",
    "city": "الرياض",
    "contact_name": "سارة",
    "contact_email": "sara@example.sa",
    "contact_phone": "+966500000009",
    "pilot_started_on": "2026-11-01",
    "renewal_on": "2027-02-01",
}
CHECKLIST = {
    "customer_id": "c-7",
    "company_name": "شركة نمو",
    "bundle_id": "growth_starter",
    "steps": [{"id": "select_goal", "completed": False, "notes": "بانتظار العميل"}],
}
RULES = "/api/v1/customer-ops/"

CASES: dict[tuple[str, str], Case] = {
    # The rule endpoints (SPEC_RULES §8): nothing stored for an id that names no customer.
    ("post", RULES + "connectors/summary"): Case(
        lambda w: {
            "customer_id": "c-7",
            "statuses": {"gmail": {"state": "configuring", "notes": "قيد الإعداد"}},
        }
    ),
    ("post", RULES + "connectors/update"): Case(
        lambda w: {
            "customer_id": "c-7",
            "statuses": {"gmail": {"state": "not_started", "notes": "لم يبدأ"}},
            "connector_key": "gmail",
            "state": "configuring",
            "notes": "بدأنا الإعداد",
        }
    ),
    ("post", RULES + "cs/at-risk-alert"): Case(
        lambda w: {"customer_id": "c-7", "days_inactive": 3}
    ),
    ("post", RULES + "cs/success-plan"): Case(
        lambda w: {"customer_id": "c-7", "bundle_id": "growth_starter"}
    ),
    ("post", RULES + "cs/weekly-check-in"): Case(
        lambda w: {"customer_id": "c-7", "company_name": "شركة نمو"}
    ),
    ("post", RULES + "incidents/triage"): Case(
        lambda w: {"title": "تأخر المزامنة", "description": "تأخرت مزامنة البريد ساعة"}
    ),
    ("post", RULES + "onboarding/checklist"): Case(
        lambda w: {"customer_id": "c-7", "company_name": "شركة نمو", "bundle_id": "growth_starter"}
    ),
    ("post", RULES + "onboarding/update-step"): Case(
        lambda w: {
            "customer_id": "c-7",
            "checklist": copy.deepcopy(CHECKLIST),
            "step_id": "select_goal",
            "completed": True,
            "notes": "اختار العميل الهدف",
        }
    ),
    ("post", RULES + "sla/classify-breach"): Case(
        lambda w: {"priority": "P1", "minutes_to_first_response": 30}
    ),
    ("post", RULES + "sla/event"): Case(
        lambda w: {"ticket_id": "t-7", "priority": "P1", "event": "first_response"}
    ),
    ("post", RULES + "sla/health-report"): Case(
        lambda w: {"tickets": [{"priority": "P1", "first_response_min": 30}]}
    ),
    ("post", RULES + "support/classify"): Case(lambda w: {"text": "متى يصل التقرير؟"}),
    ("post", RULES + "support/route"): Case(
        lambda w: {"text": "متى يصل التقرير؟", "customer_id": "c-7", "contact_email": "a@b.sa"}
    ),
    # Customers
    ("post", "/api/v1/customers/"): Case(lambda w: dict(CUSTOMER_FIELDS)),
    ("put", "/api/v1/customers/{id}/"): Case(lambda w: dict(CUSTOMER_FIELDS)),
    ("patch", "/api/v1/customers/{id}/"): Case(lambda w: dict(CUSTOMER_FIELDS)),
    ("post", "/api/v1/customers/{id}/onboarding/"): Case(
        lambda w: {"step_id": "select_goal", "completed": True, "notes": "اختار العميل الهدف"}
    ),
    ("post", "/api/v1/customers/{id}/connectors/"): Case(
        lambda w: {"connector_key": "gmail", "state": "configuring", "notes": "بدأنا الإعداد"}
    ),
    ("post", "/api/v1/customers/{id}/success-plan/"): Case(lambda w: {"start_on": "2026-11-22"}),
    ("post", "/api/v1/customers/{id}/proof-packs/"): Case(
        lambda w: {
            "title": "تقرير الأسبوع الأول",
            "delivered_at": w.now.isoformat(),
            "note": "سُلّم بالبريد",
        }
    ),
    ("post", "/api/v1/customers/{id}/check-ins/"): Case(
        lambda w: {
            "replies": 4,
            "meetings": 1,
            "pipeline_sar": 15000,
            "csat": 8.5,
            "channel": "email",
            "to": "client@example.sa",
        }
    ),
    # Drafts
    ("post", "/api/v1/drafts/"): Case(
        lambda w: {
            "customer": w.customer.pk,
            "channel": "email",
            "to": "client@example.sa",
            "subject": "تحديث أسبوعي",
            "body": "هلا، هذا تحديث الأسبوع.",
            "source": "manual",
        }
    ),
    ("patch", "/api/v1/drafts/{id}/"): Case(
        lambda w: {"to": "+966500000002", "subject": "تحديث", "body": "نص معدل للمسودة"}
    ),
    ("post", "/api/v1/drafts/{id}/reject/"): Case(lambda w: {"reason": "النص يحتاج تعديلاً"}),
    ("post", "/api/v1/drafts/{id}/mark-sent/"): Case(
        lambda w: {"note": "أرسلت من جوال الشركة"}, prepare=_approve_draft
    ),
    ("post", "/api/v1/drafts/{id}/release-send/"): Case(
        lambda w: {"note": "لا أثر للرسالة في صندوق المرسل"}, prepare=_send_outcome_unknown
    ),
    # Tickets
    ("post", "/api/v1/tickets/"): Case(
        lambda w: {
            "customer": w.customer.pk,
            "subject": "سؤال عن الفاتورة",
            "body": "متى تصل الفاتورة؟",
            "channel": "email",
        }
    ),
    ("patch", "/api/v1/tickets/{id}/"): Case(
        lambda w: {
            "priority": "P2",
            "status": "closed",
            "customer_confirmation": "أكد العميل بالبريد أن المشكلة حلت",
            "customer_confirmed_at": w.now.isoformat(),
            "note": "أغلقت بعد التأكيد",
        },
        prepare=_resolve_ticket,
    ),
    ("post", "/api/v1/tickets/{id}/events/"): Case(
        lambda w: {"event": "first_response", "note": "رددنا بالبريد"}
    ),
    ("post", "/api/v1/tickets/{id}/messages/"): Case(lambda w: {"text": "اتصلت بالعميل"}),
    ("post", "/api/v1/messages/{id}/assign/"): Case(lambda w: {"customer": w.customer.pk}),
    ("post", "/api/v1/customers/{id}/whatsapp-opt-in/"): Case(
        lambda w: {"value": "0500000001", "method": "نموذج طلب موقّع"}
    ),
    ("post", "/api/v1/tickets/{id}/reply-draft/"): Case(
        lambda w: {"channel": "email", "to": "client@example.sa", "body": "شكراً لتواصلكم"}
    ),
    # Incidents
    ("post", "/api/v1/incidents/"): Case(
        lambda w: {
            "title": "تأخر مزامنة واتساب",
            "description": "الرسائل تتأخر عشر دقائق",
            "affected_customers": [w.customer.pk],
            "detected_at": w.now.isoformat(),
            "severity": "SEV2",
        }
    ),
    ("patch", "/api/v1/incidents/{id}/"): Case(
        lambda w: {"severity": "SEV2", "status": "mitigating", "note": "رفعنا الخطورة"}
    ),
    ("post", "/api/v1/incidents/{id}/timeline/"): Case(
        lambda w: {"kind": "note", "text": "أعدنا تشغيل المزامنة"}
    ),
    ("post", "/api/v1/incidents/{id}/plan-steps/{position}/"): Case(lambda w: {"done": True}),
    ("put", "/api/v1/incidents/{id}/postmortem/"): Case(
        lambda w: {field.key: "مكتوب بالتفصيل" for field in POSTMORTEM_FIELDS}
    ),
    ("post", "/api/v1/incidents/{id}/close/"): Case(
        lambda w: {"note": "تمت المراجعة"}, prepare=_resolve_incident
    ),
    ("post", "/api/v1/incidents/{id}/update-draft/"): Case(
        lambda w: {
            "kind": "sev3_update",
            "values": {"service_name": "Gmail", "status": "تحت المراقبة"},
            "channel": "email",
        }
    ),
    # The working calendar (dates in the years it accepts, around `now`)
    ("post", "/api/v1/calendar/holidays/"): Case(
        lambda w: {
            "date": f"{w.now.year}-10-05",
            "name": "إجازة معلنة",
            "closed": True,
            "note": "قرار الإدارة",
        }
    ),
    ("post", "/api/v1/calendar/holidays/{day}/confirm/"): Case(
        lambda w: {"note": "أعلنت الجهات الرسمية الموعد"}
    ),
    ("post", "/api/v1/calendar/holidays/{day}/move/"): Case(
        lambda w: {"to": f"{w.now.year}-10-01", "note": "نُقلت بقرار"}
    ),
    ("post", "/api/v1/calendar/periods/"): Case(
        lambda w: {
            "name": "رمضان",
            "start": f"{w.now.year}-03-01",
            "end": f"{w.now.year}-03-20",
            "windows": [{"start": "21:00", "end": "02:00"}],
            "note": "دوام مسائي",
        }
    ),
    ("put", "/api/v1/calendar/week/"): Case(
        lambda w: {"week": {"6": [{"start": "09:00", "end": "17:00"}]}}
    ),
    # Positioning
    ("post", "/api/v1/positioning/check-claims"): Case(
        lambda w: {"text": "نرتب لك المتابعة بعد موافقتك"}
    ),
}


# ── Spoiling one value ───────────────────────────────────────────────────────────────────────────
def _concrete(payload: Any, path: Path) -> list[str | int] | None:
    """`path` with "*" replaced by a key the payload has; None if the payload lacks the field."""
    concrete: list[str | int] = []
    node = payload
    for part in path:
        if part == "*":
            if not isinstance(node, dict) or not node:
                return None
            part = next(iter(node))
        elif isinstance(part, int):
            if not isinstance(node, list) or not node:
                return None
        elif not isinstance(node, dict) or part not in node:
            return None
        concrete.append(part)
        node = node[part]
    return concrete


def _spoiled(payload: dict[str, Any], concrete: list[str | int], char: str) -> dict[str, Any]:
    """A copy of `payload` with `char` put after the first character of the value at `concrete`."""
    spoiled = copy.deepcopy(payload)
    node: Any = spoiled
    for part in concrete[:-1]:
        node = node[part]
    value = str(node[concrete[-1]])
    node[concrete[-1]] = value[:1] + char + value[1:]
    return spoiled


# Known defects in files this suite does not own, each strict: the mark fails once it is fixed.
KNOWN_DEFECTS: dict[tuple[str, str, tuple[Any, ...]], str] = {}


def _field_cases() -> list[Any]:
    return [
        pytest.param(
            method,
            path,
            field,
            id=f"{method} {path} {'.'.join(map(str, field))}",
            marks=[pytest.mark.xfail(reason=KNOWN_DEFECTS[(method, path, field)], strict=True)]
            if (method, path, field) in KNOWN_DEFECTS
            else [],
        )
        for (method, path), fields in json_body_operations().items()
        for field in fields
    ]


def _operation_cases() -> list[Any]:
    return [
        pytest.param(method, path, id=f"{method} {path}") for method, path in json_body_operations()
    ]


# ── Coverage of the table ────────────────────────────────────────────────────────────────────────
def test_every_json_body_endpoint_has_a_case() -> None:
    operations = set(json_body_operations())

    assert sorted(operations - set(CASES)) == [], "add a valid payload to CASES"
    assert sorted(set(CASES) - operations) == [], "CASES names an endpoint the schema lacks"
    assert len(operations) >= 35


def test_every_string_field_is_in_its_payload(world: World) -> None:
    missing = [
        f"{method} {path}: {'.'.join(map(str, field))}"
        for (method, path), fields in json_body_operations().items()
        for field in fields
        if _concrete(CASES[(method, path)].payload(world), field) is None
    ]

    assert missing == [], "give these fields a value in CASES"


def test_the_schema_lists_nested_string_fields() -> None:
    fields = json_body_operations()

    assert ("checklist", "steps", 0, "notes") in fields[("post", RULES + "onboarding/update-step")]
    assert ("values", "*") in fields[("post", "/api/v1/incidents/{id}/update-draft/")]
    assert ("statuses", "*", "notes") in fields[("post", RULES + "connectors/summary")]


@pytest.mark.parametrize(("method", "path"), _operation_cases())
def test_the_valid_payload_is_accepted(
    api: APIClient, world: World, method: str, path: str
) -> None:
    case = CASES[(method, path)]
    if case.prepare is not None:
        case.prepare(world)

    response = send(api, method, url_of(path, world), case.payload(world))

    assert response.status_code in (200, 201), response.content.decode()


# ── (a) malformed JSON, (b) a body that is not an object ────────────────────────────────────────
@pytest.mark.parametrize(("method", "path"), _operation_cases())
def test_malformed_json_is_a_bilingual_400_and_writes_nothing(
    api: APIClient, world: World, method: str, path: str
) -> None:
    before = row_counts()

    response = getattr(api, method)(
        url_of(path, world), '{"title": "x", ', content_type="application/json"
    )

    assert response.status_code == 400
    body = response.json()
    assert body["error"] and ARABIC.search(body["error_ar"])
    assert row_counts() == before


@pytest.mark.parametrize(("method", "path"), _operation_cases())
@pytest.mark.parametrize("body", [[1, 2], [], 3, "text", None, True], ids=repr)
def test_a_body_that_is_not_an_object_is_a_bilingual_400_and_writes_nothing(
    api: APIClient, world: World, method: str, path: str, body: Any
) -> None:
    before = row_counts()

    response = send(api, method, url_of(path, world), body)

    assert response.status_code == 400, response.content.decode()
    result = response.json()
    assert result["errors"] == {"non_field_errors": ["the request body must be a JSON object"]}
    assert ARABIC.search(result["error_ar"])
    assert row_counts() == before


# ── (c) a refused character in each string field ────────────────────────────────────────────────
@pytest.mark.parametrize(("method", "path", "field"), _field_cases())
def test_a_refused_character_in_any_string_field_is_a_400_naming_it(
    api: APIClient, world: World, method: str, path: str, field: Path
) -> None:
    case = CASES[(method, path)]
    if case.prepare is not None:
        case.prepare(world)
    payload = case.payload(world)
    concrete = _concrete(payload, field)
    assert concrete is not None
    name = ".".join(map(str, concrete))
    before = row_counts()

    for label, char in REFUSED.items():
        response = send(api, method, url_of(path, world), _spoiled(payload, concrete, char))

        assert response.status_code == 400, (label, response.content.decode())
        body = response.json()
        assert name in body["errors"], (label, body)
        assert name in body["errors_ar"], (label, body)
        assert ARABIC.search(" ".join(body["errors_ar"][name])), (label, body)
        # Messages may quote the value; the character itself never comes back.
        assert char not in response.content.decode(), label
        assert row_counts() == before, label


def test_the_refusal_names_the_character_and_where_it_is_in_both_languages(
    api: APIClient, world: World
) -> None:
    payload = CASES[("post", "/api/v1/tickets/")].payload(world)
    payload["body"] = "الملف\u202etxt.exe"

    body = send(api, "post", "/api/v1/tickets/", payload).json()

    assert body["errors"] == {
        "body": [
            "The text contains an invisible or control character (U+202E RIGHT-TO-LEFT OVERRIDE) "
            "at character 6; remove it."
        ]
    }
    assert body["error"].startswith("body: The text contains")
    assert "U+202E RIGHT-TO-LEFT OVERRIDE" in body["errors_ar"]["body"][0]
    assert "احذفه" in body["errors_ar"]["body"][0]


def test_every_spoiled_field_is_reported_at_once(api: APIClient, world: World) -> None:
    payload = CASES[("put", "/api/v1/incidents/{id}/postmortem/")].payload(world)
    payload["summary"] = "ملخص\u200bمخفي"
    payload["deadline"] = "غداً\u2066"

    response = send(api, "put", url_of("/api/v1/incidents/{id}/postmortem/", world), payload)

    assert response.status_code == 400
    assert sorted(response.json()["errors"]) == ["deadline", "summary"]


def test_a_refused_character_in_a_dict_key_is_blamed_on_the_dict(
    api: APIClient, world: World
) -> None:
    payload = CASES[("post", "/api/v1/incidents/{id}/update-draft/")].payload(world)
    payload["values"]["stat\u202eus"] = "x"
    before = row_counts()

    response = send(api, "post", url_of("/api/v1/incidents/{id}/update-draft/", world), payload)

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["values"]
    assert "\u202e" not in response.content.decode()
    assert row_counts() == before


@pytest.mark.parametrize(
    "text",
    [
        "شكراً 👨\u200d👩\u200d👧 على المتابعة",  # an emoji ZWJ sequence
        "تقرير Q3\u200e جاهز",  # LRM
        "سطر أول\nسطر ثانٍ\tمع جدولة",
    ],
)
def test_allowed_text_is_stored_as_sent(api: APIClient, world: World, text: str) -> None:
    payload = CASES[("post", "/api/v1/tickets/")].payload(world)
    payload["body"] = text

    response = send(api, "post", "/api/v1/tickets/", payload)

    assert response.status_code == 201, response.content.decode()
    assert Ticket.objects.get(pk=response.json()["id"]).body == text


# ── Wrong JSON types ─────────────────────────────────────────────────────────────────────────────
WRONG_TYPES = [
    # (method, path, field path, value): a number where text goes, text where a number or a
    # boolean goes. DRF's stock fields would have taken each one, coerced ("yes" → true).
    ("post", "/api/v1/tickets/", ("subject",), 5),
    ("post", "/api/v1/tickets/", ("customer",), "1"),
    ("post", "/api/v1/incidents/", ("has_data_leak",), "yes"),
    ("post", "/api/v1/incidents/", ("affected_customers", 0), "1"),
    ("post", "/api/v1/customers/{id}/check-ins/", ("pipeline_sar",), "15000"),
    ("post", "/api/v1/customers/{id}/check-ins/", ("to",), 966500000001),
    ("post", "/api/v1/customers/{id}/onboarding/", ("completed",), 1),
    ("post", "/api/v1/incidents/{id}/plan-steps/{position}/", ("done",), "true"),
    ("post", "/api/v1/incidents/{id}/update-draft/", ("values", "service_name"), 7),
    ("patch", "/api/v1/drafts/{id}/", ("body",), 12.5),
    ("put", "/api/v1/incidents/{id}/postmortem/", ("summary",), 3),
    ("post", "/api/v1/customers/", ("company_name",), 42),
]


@pytest.mark.parametrize(("method", "path", "field", "value"), WRONG_TYPES)
def test_a_value_of_the_wrong_json_type_is_a_bilingual_400(
    api: APIClient, world: World, method: str, path: str, field: Path, value: Any
) -> None:
    payload = CASES[(method, path)].payload(world)
    node = payload
    for part in field[:-1]:
        node = node[part]
    node[field[-1]] = value  # type: ignore[index]
    name = ".".join(map(str, field))
    before = row_counts()

    response = send(api, method, url_of(path, world), payload)

    assert response.status_code == 400, response.content.decode()
    body = response.json()
    assert list(body["errors"]) == [name]
    assert body["errors_ar"][name] != body["errors"][name]
    assert ARABIC.search(body["errors_ar"][name][0])
    assert row_counts() == before


def test_wrong_types_are_reported_with_the_other_errors(api: APIClient, world: World) -> None:
    response = send(api, "post", "/api/v1/tickets/", {"subject": 5, "channel": "fax"})

    assert sorted(response.json()["errors"]) == ["channel", "customer", "subject"]


# ── Query and path parameters ────────────────────────────────────────────────────────────────────
@pytest.mark.parametrize(("path", "parameter"), query_operations())
@pytest.mark.parametrize("char", ["\x00", "\u202e", "\u200b"], ids=["NUL", "RLO", "ZWSP"])
def test_a_refused_character_in_a_query_parameter_is_a_4xx(
    api: APIClient, world: World, path: str, parameter: str, char: str
) -> None:
    response = api.get(url_of(path, world), {parameter: f"P{char}1"})

    if parameter == "page":  # DRF's paginator answers an unknown page with 404
        assert response.status_code in (400, 404)
    else:
        assert response.status_code == 400, response.content.decode()
        assert parameter in response.json()["errors"]
    assert char not in response.content.decode()


@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        ("/api/v1/drafts/", "status"),
        ("/api/v1/ledger/", "object_type"),
        ("/api/v1/ledger/", "object_id"),
        ("/api/v1/incidents/", "status"),
        ("/api/v1/incidents/", "severity"),
    ],
)
def test_filters_read_without_a_serializer_refuse_nul_with_a_400(
    api: APIClient, world: World, path: str, parameter: str
) -> None:
    # On PostgreSQL a NUL reaching the filter was a 500 ("A string literal cannot contain NUL").
    response = api.get(path, {parameter: "open\x00"})

    assert response.status_code == 400
    body = response.json()
    assert "U+0000" in body["errors"][parameter][0]  # named, or quoted with it spelled out
    assert ARABIC.search(body["errors_ar"][parameter][0])
    assert "\x00" not in response.content.decode()


def test_the_query_parameter_list_covers_the_raw_filters() -> None:
    declared = set(query_operations())

    assert {("/api/v1/ledger/", "object_type"), ("/api/v1/incidents/", "status")} <= declared


@pytest.mark.parametrize(
    "path",
    [
        RULES + "support/first-response/P0%00",
        RULES + "support/first-response/%E2%80%AEP0",
        RULES + "incidents/response-plan/SEV1%E2%80%8B",
    ],
)
def test_an_odd_path_value_is_a_404_that_does_not_echo_the_character(
    api: APIClient, path: str
) -> None:
    response = api.get(path)

    assert response.status_code == 404
    text = response.content.decode()
    assert not re.search("[\x00\u202e\u200b]", text)
    assert "<U+" in text  # the value is quoted with the character spelled out
