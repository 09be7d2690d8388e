"""Console forms: the shape of what a screen sends (types, lengths, choices), nothing more.

The rules (which moves are legal, who may approve, what a draft may say) live in the domain and
are enforced by the services; a refusal from there comes back as a field or form error. Every form
here is a `ConsoleForm`, so no text field lets a control, bidi or zero-width character through.
"""

from __future__ import annotations

import datetime as dt
import functools
from html import escape as html_escape
from typing import Any

from django import forms
from django.core.validators import (
    MaxValueValidator,
    MinValueValidator,
    ProhibitNullCharactersValidator,
)
from django.db.models import Field
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from customer_ops.domain.errors import InvalidValue
from customer_ops.domain.incidents import COMMS_PLACEHOLDERS, POSTMORTEM_FIELDS, CommsKind
from customer_ops.domain.inputs import INTEGER_MAX, date_in_range
from customer_ops.domain.modes import SERVICES
from customer_ops.domain.search import MAX_QUERY_LENGTH
from customer_ops.domain.success import ensure_renewal_after_pilot_start
from customer_ops.domain.text import find_line_break, find_unsafe_character
from customer_ops.domain.transitions import ConnectorState
from customer_ops.labels import LEDGER_VERB_LABELS, OBJECT_TYPE_LABELS, service_name
from customer_ops.models import IncidentPostmortem
from customer_ops.models.customers import CustomerStatus
from customer_ops.models.drafts import DraftChannel
from customer_ops.models.tickets import TicketChannel
from customer_ops.selectors.customers import customer_choices
from customer_ops.selectors.users import staff_users
from dealix.api_errors import date_range_message, unsafe_character_message
from positioning.lock import BUNDLES


class PlainSelect(forms.Select):
    """A select written out in Python: the markup of Django's select templates, without a
    template render per option (a filter with a customer per option rendered dozens of them on
    every page). Option groups, the selected option and the attributes as Django writes them
    (`flatatt`: True is a bare attribute, False and None are left out); every text is escaped.
    """

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [
            f'<select name="{html_escape(str(widget["name"]))}"{_attributes(widget["attrs"])}>'
        ]
        for group, options, _index in widget["optgroups"]:
            if group:
                parts.append(f'<optgroup label="{html_escape(str(group))}">')
            parts.extend(
                f'<option value="{html_escape(str(option["value"]))}"'
                f"{_attributes(option['attrs'])}>{html_escape(str(option['label']))}</option>"
                for option in options
            )
            if group:
                parts.append("</optgroup>")
        parts.append("</select>")
        return SafeString("".join(parts))


def _attributes(attrs: dict[str, Any]) -> str:
    return "".join(
        f" {key}" if value is True else f' {key}="{html_escape(str(value))}"'
        for key, value in attrs.items()
        if value is not False and value is not None
    )


def refuse_unsafe_characters(value: str) -> None:
    """Field validator: the API's refusal of hidden and control characters, as a form error."""
    found = find_unsafe_character(value)
    if found is not None:
        raise forms.ValidationError(unsafe_character_message(found), code="unsafe_character")


def refuse_line_breaks(value: str) -> None:
    """Field validator for one-line fields: no line break or tab (the API's rule, as a form error)."""
    found = find_line_break(value)
    if found is not None:
        raise forms.ValidationError(unsafe_character_message(found), code="line_break")


def _one_line(field: forms.Field) -> bool:
    # What a person types into a one-line input is one line; only a textarea carries lines.
    return not isinstance(field.widget, forms.Textarea)


class ConsoleForm(forms.Form):
    """Every console form: the API's input rules, applied to every field of every form.

    - each text field refuses what `find_unsafe_character` refuses, and a one-line field (any
      widget but a textarea) also refuses line breaks and tabs (`find_line_break`);
    - each date and date-time lies in the sensible range (`domain.inputs.date_in_range`);
    - each whole number fits a database integer (`domain.inputs.INTEGER_MAX`), whatever bounds
      the field declares itself.

    Added at validation time rather than per declaration, so fields built in `__init__` (the
    comms placeholders, the post-mortem) and fields added later are covered too. It replaces
    Django's own NUL check, which would repeat the error for a NUL with a vaguer message.
    """

    def full_clean(self) -> None:
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and (
                refuse_unsafe_characters not in field.validators
            ):
                field.validators = [
                    validator
                    for validator in field.validators
                    if not isinstance(validator, ProhibitNullCharactersValidator)
                ] + [refuse_unsafe_characters]
                if _one_line(field):
                    field.validators.append(refuse_line_breaks)
            if isinstance(field, forms.IntegerField) and not getattr(field, "_bounded", False):
                field.validators += [
                    MinValueValidator(-INTEGER_MAX),
                    MaxValueValidator(INTEGER_MAX),
                ]
                field._bounded = True  # type: ignore[attr-defined]
        super().full_clean()

    def choice_field(self, name: str) -> forms.ChoiceField:
        """This form's own copy of a declared choice field, to give it its choices."""
        field = self.fields[name]
        if not isinstance(field, forms.ChoiceField):
            raise TypeError(f"{name} is not a choice field")
        return field

    def _post_clean(self) -> None:
        super()._post_clean()  # type: ignore[misc]  # BaseForm's hook, not in the stubs
        for name, value in list(self.cleaned_data.items()):
            if isinstance(value, dt.date) and not date_in_range(value):
                self.add_error(name, date_range_message())


def _arabic() -> bool:
    return (get_language() or "ar").startswith("ar")


def bundle_choices() -> list[tuple[str, str]]:
    """The 5 bundles named in the console's language (evaluated at render time)."""
    return [(b.id.value, b.name_ar if _arabic() else b.name) for b in BUNDLES]


def bundle_choices_with_price() -> list[tuple[str, str]]:
    arabic = _arabic()
    return [
        (b.id.value, f"{b.name_ar} — {b.price_ar}" if arabic else f"{b.name} — {b.price_en}")
        for b in BUNDLES
    ]


def bundle_filter_choices() -> list[tuple[str, str]]:
    return [("", str(_("كل الباقات"))), *bundle_choices()]


class CustomerFilterForm(ConsoleForm):
    q = forms.CharField(
        label=_("بحث"),
        required=False,
        max_length=100,
        widget=forms.SearchInput(attrs={"placeholder": _("اسم الشركة أو جهة الاتصال")}),
    )
    bundle = forms.ChoiceField(label=_("الباقة"), required=False, choices=bundle_filter_choices)
    status = forms.ChoiceField(
        label=_("الحالة"),
        required=False,
        choices=[("", _("كل الحالات")), *CustomerStatus.choices],
    )


READINESS_CHOICES = [
    ("", _("الكل")),
    ("ready", _("جاهز للخدمة الأولى")),
    ("not_ready", _("غير جاهز بعد")),
]


class ConnectorBoardFilterForm(ConsoleForm):
    q = forms.CharField(
        label=_("بحث"),
        required=False,
        max_length=100,
        widget=forms.SearchInput(attrs={"placeholder": _("اسم الشركة")}),
    )
    readiness = forms.ChoiceField(label=_("الجاهزية"), required=False, choices=READINESS_CHOICES)


def ledger_verb_choices() -> list[tuple[str, str]]:
    return [
        ("", str(_("كل الإجراءات"))),
        *((v.value, str(label)) for v, label in LEDGER_VERB_LABELS.items()),
    ]


def ledger_object_choices() -> list[tuple[str, str]]:
    return [
        ("", str(_("كل الأنواع"))),
        *((code, str(label)) for code, label in OBJECT_TYPE_LABELS.items()),
    ]


def ledger_actor_choices() -> list[tuple[str, str]]:
    return [
        ("", str(_("الجميع"))),
        *((str(user.pk), user.get_username()) for user in staff_users()),
    ]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)  # type: ignore[arg-type]


class CustomerCreateForm(ConsoleForm):
    company_name = forms.CharField(label=_("اسم الشركة"), max_length=200)
    bundle = forms.ChoiceField(label=_("الباقة"), choices=bundle_choices_with_price)
    sector = forms.CharField(label=_("القطاع"), max_length=100, required=False)
    city = forms.CharField(label=_("المدينة"), max_length=100, required=False)
    contact_name = forms.CharField(label=_("اسم جهة الاتصال"), max_length=200, required=False)
    contact_email = forms.EmailField(
        label=_("بريد جهة الاتصال"), required=False, widget=forms.EmailInput(attrs={"dir": "ltr"})
    )
    contact_phone = forms.CharField(
        label=_("جوال جهة الاتصال"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "tel"}),
    )
    pilot_started_on = forms.DateField(label=_("بداية التجربة"), required=False, widget=DateInput())
    renewal_on = forms.DateField(label=_("تاريخ التجديد"), required=False, widget=DateInput())

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        # The service's own rule, asked here too so that every error shows at once.
        try:
            ensure_renewal_after_pilot_start(
                pilot_started_on=cleaned.get("pilot_started_on"),
                renewal_on=cleaned.get("renewal_on"),
            )
        except InvalidValue as exc:
            self.add_error(exc.field, exc.message_ar if _arabic() else exc.message)
        return cleaned

    def clean_company_name(self) -> str:
        name: str = self.cleaned_data["company_name"].strip()
        if not name:
            raise forms.ValidationError(_("اكتب اسم الشركة."))
        return name


class OnboardingStepForm(ConsoleForm):
    completed = forms.BooleanField(required=False)
    notes = forms.CharField(max_length=200, required=False)


class ConnectorMoveForm(ConsoleForm):
    to = forms.ChoiceField(choices=[(state.value, state.value) for state in ConnectorState])


class DraftCreateForm(ConsoleForm):
    channel = forms.ChoiceField(label=_("القناة"), choices=DraftChannel.choices)
    to = forms.CharField(
        label=_("إلى"),
        max_length=254,
        widget=forms.TextInput(attrs={"dir": "ltr", "placeholder": "name@company.sa"}),
    )
    subject = forms.CharField(label=_("الموضوع"), max_length=200, required=False)
    body = forms.CharField(
        label=_("النص"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if cleaned.get("channel") == DraftChannel.EMAIL and cleaned.get("to"):
            try:
                forms.EmailField().clean(cleaned["to"])
            except forms.ValidationError:
                self.add_error("to", _("أدخل بريداً إلكترونياً صحيحاً."))
        return cleaned


class DraftRejectForm(ConsoleForm):
    reason = forms.CharField(
        label=_("سبب الرفض"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("الرفض يحتاج إلى سبب.")},
    )


class DraftEditForm(ConsoleForm):
    """A draft's recipient, subject and body, changed in the console (`services.drafts.draft_edit`)."""

    to = forms.CharField(
        label=_("إلى"), max_length=254, widget=forms.TextInput(attrs={"dir": "ltr"})
    )
    subject = forms.CharField(label=_("الموضوع"), max_length=200, required=False)
    body = forms.CharField(
        label=_("النص"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )


class DraftClaimsPreviewForm(ConsoleForm):
    """The text being typed into a draft's edit form, for the live claims check."""

    subject = forms.CharField(max_length=200, required=False, strip=False)
    body = forms.CharField(max_length=5000, required=False, strip=False, widget=forms.Textarea)


class DraftMarkSentForm(ConsoleForm):
    note = forms.CharField(label=_("ملاحظة (اختياري)"), max_length=500, required=False)


DRAFT_TABS = [
    ("pending", _("بانتظار الموافقة")),
    ("approved", _("معتمدة — لم تُرسل")),
    ("rejected", _("مرفوضة")),
    ("sent", _("أُرسلت")),
    ("all", _("الكل")),
]


class DraftFilterForm(ConsoleForm):
    status = forms.ChoiceField(required=False, choices=DRAFT_TABS)
    customer = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


# ── Operations screens (issue #7, part 2): tickets, incidents, success, reports, modes ──────────
def _customer_choices() -> list[tuple[str, str]]:

    return [(str(pk), name) for pk, name in customer_choices()]


def _customer_filter_choices() -> list[tuple[str, str]]:
    return [("", str(_("كل العملاء"))), *_customer_choices()]


def _customer_pick_choices() -> list[tuple[str, str]]:
    return [("", str(_("اختر العميل…"))), *_customer_choices()]


def _staff_choices() -> list[tuple[str, str]]:

    return [(str(user.pk), user.get_username()) for user in staff_users()]


def _assignee_filter_choices() -> list[tuple[str, str]]:
    return [
        ("", str(_("الجميع"))),
        ("me", str(_("المسندة إليّ"))),
        ("none", str(_("غير مسندة"))),
        *_staff_choices(),
    ]


def _assignee_pick_choices() -> list[tuple[str, str]]:
    return [("", str(_("بلا مسؤول"))), *_staff_choices()]


PRIORITY_FILTER_CHOICES = [("", _("كل الأولويات")), *((p, p) for p in ("P0", "P1", "P2", "P3"))]
TICKET_STATUS_FILTER_CHOICES = [
    ("active", _("النشطة (مفتوحة وبانتظار العميل)")),
    ("open", _("مفتوحة")),
    ("pending_customer", _("بانتظار العميل")),
    ("resolved", _("محلولة")),
    ("closed", _("مغلقة")),
    ("all", _("كل الحالات")),
]
BREACHED_FILTER_CHOICES = [
    ("", _("الكل")),
    ("yes", _("متجاوزة الآن")),
    ("no", _("ضمن الوقت")),
]
TICKET_SORT_CHOICES = [
    ("next_due_at", _("الأقرب استحقاقاً")),
    ("-opened_at", _("الأحدث فتحاً")),
    ("opened_at", _("الأقدم فتحاً")),
    ("priority", _("الأولوية الأعلى")),
]


class SearchForm(ConsoleForm):
    """The header's search box: one query over tickets, messages, customers and incidents."""

    q = forms.CharField(label=_("بحث"), required=False, max_length=MAX_QUERY_LENGTH)


class TicketFilterForm(ConsoleForm):
    q = forms.CharField(
        label=_("بحث"),
        required=False,
        max_length=100,
        widget=forms.SearchInput(attrs={"placeholder": _("الموضوع أو النص أو العميل أو #الرقم")}),
    )
    priority = forms.ChoiceField(
        label=_("الأولوية"), required=False, choices=PRIORITY_FILTER_CHOICES, widget=PlainSelect
    )
    status = forms.ChoiceField(
        label=_("الحالة"), required=False, choices=TICKET_STATUS_FILTER_CHOICES, widget=PlainSelect
    )
    customer = forms.TypedChoiceField(
        label=_("العميل"), required=False, coerce=int, empty_value=None, widget=PlainSelect
    )
    assignee = forms.ChoiceField(label=_("المسؤول"), required=False, widget=PlainSelect)
    breached = forms.ChoiceField(
        label=_("الـ SLA"), required=False, choices=BREACHED_FILTER_CHOICES, widget=PlainSelect
    )
    sort = forms.ChoiceField(
        label=_("ترتيب العرض"), required=False, choices=TICKET_SORT_CHOICES, widget=PlainSelect
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Read when first needed, then once per form: validation and rendering both read them.
        self.choice_field("customer").choices = functools.cache(_customer_filter_choices)
        self.choice_field("assignee").choices = functools.cache(_assignee_filter_choices)


class TicketCreateForm(ConsoleForm):
    customer = forms.TypedChoiceField(label=_("العميل"), coerce=int, choices=_customer_pick_choices)
    channel = forms.ChoiceField(label=_("وصلت عبر"))
    subject = forms.CharField(
        label=_("الموضوع"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"required": _("اكتب موضوع التذكرة.")},
    )
    body = forms.CharField(
        label=_("نص الطلب كما كتبه العميل"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    assignee = forms.TypedChoiceField(
        label=_("المسؤول"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=_assignee_pick_choices,
    )

    def __init__(self, *args: object, classify_url: str = "", **kwargs: object) -> None:

        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.choice_field("channel").choices = TicketChannel.choices
        if classify_url:
            # The priority preview follows the typing (debounced); it never saves anything.
            live = {
                "hx-post": classify_url,
                "hx-trigger": "input changed delay:400ms",
                "hx-target": "#priority-preview",
                "hx-swap": "outerHTML",
                "hx-include": "#id_subject, #id_body",
                "hx-sync": "closest form:abort",
                "aria-describedby": "priority-preview",
            }
            self.fields["subject"].widget.attrs.update(live)
            self.fields["body"].widget.attrs.update(live)

    def clean_subject(self) -> str:
        subject: str = self.cleaned_data["subject"].strip()
        if not subject:
            raise forms.ValidationError(_("اكتب موضوع التذكرة."))
        return subject


class TicketClassifyForm(ConsoleForm):
    subject = forms.CharField(required=False, max_length=200)
    body = forms.CharField(required=False, max_length=5000)


class TicketPriorityForm(ConsoleForm):
    priority = forms.ChoiceField(
        label=_("الأولوية"), choices=[(p, p) for p in ("P0", "P1", "P2", "P3")]
    )
    note = forms.CharField(label=_("السبب (اختياري)"), max_length=300, required=False)


class TicketAssignForm(ConsoleForm):
    assignee = forms.TypedChoiceField(
        label=_("المسؤول"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=_assignee_pick_choices,
    )


class TicketMoveForm(ConsoleForm):
    to = forms.ChoiceField(
        choices=[(s, s) for s in ("open", "pending_customer", "resolved", "closed")]
    )
    note = forms.CharField(label=_("ملاحظة (اختياري)"), max_length=300, required=False)


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)  # type: ignore[arg-type]


class TicketCloseForm(ConsoleForm):
    customer_confirmation = forms.CharField(
        label=_("تأكيد العميل"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("ماذا قال العميل، وعبر أي قناة (مثال: «أكّد بالبريد أن المشكلة حُلّت»)."),
        error_messages={"required": _("لا تُغلق التذكرة بدون تسجيل تأكيد العميل.")},
    )
    customer_confirmed_at = forms.DateTimeField(
        label=_("وقت التأكيد (اختياري، الآن افتراضياً)"),
        required=False,
        widget=DateTimeLocalInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )


class TicketReplyForm(ConsoleForm):
    channel = forms.ChoiceField(label=_("القناة"), choices=DraftChannel.choices)
    to = forms.CharField(
        label=_("إلى"), max_length=254, widget=forms.TextInput(attrs={"dir": "ltr"})
    )
    body = forms.CharField(
        label=_("نص الرد"), max_length=5000, widget=forms.Textarea(attrs={"rows": 7})
    )


# ── Incidents ───────────────────────────────────────────────────────────────────────────────────
SEVERITY_CHOICES = [(s, s) for s in ("SEV1", "SEV2", "SEV3")]
INCIDENT_STATUS_FILTER_CHOICES = [
    ("active", _("النشطة (مفتوحة وقيد الاحتواء)")),
    ("open", _("مفتوحة")),
    ("mitigating", _("قيد الاحتواء")),
    ("resolved", _("محلولة")),
    ("closed", _("مغلقة")),
    ("all", _("كل الحالات")),
]


class IncidentFilterForm(ConsoleForm):
    status = forms.ChoiceField(
        label=_("الحالة"), required=False, choices=INCIDENT_STATUS_FILTER_CHOICES
    )
    severity = forms.ChoiceField(
        label=_("الخطورة"), required=False, choices=[("", _("كل الدرجات")), *SEVERITY_CHOICES]
    )
    customer = forms.TypedChoiceField(
        label=_("العميل"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=_customer_filter_choices,
    )


class IncidentDeclareForm(ConsoleForm):
    title = forms.CharField(label=_("العنوان"), max_length=120)
    description = forms.CharField(
        label=_("ماذا حدث؟"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    affected_customers = forms.TypedMultipleChoiceField(
        label=_("العملاء المتأثرون"),
        required=False,
        coerce=int,
        choices=_customer_choices,
        widget=forms.CheckboxSelectMultiple,
    )
    affected_count = forms.IntegerField(
        label=_("عدد المتأثرين (إن كان أكبر من المحددين)"),
        required=False,
        min_value=0,
        max_value=100000,
    )
    has_data_leak = forms.BooleanField(label=_("تسريب بيانات"), required=False)
    has_unauthorized_send = forms.BooleanField(label=_("إرسال بدون موافقة"), required=False)
    detected_at = forms.DateTimeField(
        label=_("وقت الاكتشاف (اختياري، الآن افتراضياً)"),
        required=False,
        widget=DateTimeLocalInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )

    def clean_title(self) -> str:
        title: str = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError(_("اكتب عنواناً للحادثة."))
        return title


class IncidentTriageForm(ConsoleForm):
    affected_customers = forms.TypedMultipleChoiceField(
        required=False, coerce=int, choices=_customer_choices
    )
    affected_count = forms.IntegerField(required=False, min_value=0, max_value=100000)
    has_data_leak = forms.BooleanField(required=False)
    has_unauthorized_send = forms.BooleanField(required=False)


class IncidentSeverityForm(ConsoleForm):
    severity = forms.ChoiceField(label=_("الخطورة الجديدة"), choices=SEVERITY_CHOICES)
    note = forms.CharField(label=_("السبب"), max_length=300, required=False)


class IncidentMoveForm(ConsoleForm):
    to = forms.ChoiceField(choices=[(s, s) for s in ("open", "mitigating", "resolved", "closed")])
    note = forms.CharField(label=_("ملاحظة (اختياري)"), max_length=300, required=False)


class IncidentPlanTickForm(ConsoleForm):
    done = forms.BooleanField(required=False)


class IncidentTimelineForm(ConsoleForm):
    kind = forms.ChoiceField(
        label=_("النوع"),
        choices=[("note", _("ملاحظة داخلية")), ("update", _("تحديث أُعطي للعملاء"))],
        initial="note",
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=_("النص"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


COMMS_KIND_CHOICES = [
    ("sev1_first_hour", _("SEV1 — الساعة الأولى")),
    ("sev1_data_leak", _("SEV1 — تسريب بيانات")),
    ("sev2_update", _("SEV2 — تحديث دوري")),
    ("sev3_update", _("SEV3 — تحديث")),
    ("resolved", _("تمت الاستعادة")),
]
COMMS_FIELD_LABELS = {
    "event_type": _("نوع الحدث"),
    "data_type": _("نوع البيانات"),
    "service_name": _("اسم الخدمة"),
    "eta": _("الوقت المتوقع للاستعادة"),
    "status": _("الوضع الحالي"),
    "cause": _("السبب المبدئي"),
}


class IncidentCommsForm(ConsoleForm):
    """A customer update from an Arabic template: the placeholders of the chosen template only."""

    kind = forms.ChoiceField(label=_("القالب"), choices=COMMS_KIND_CHOICES)
    channel = forms.ChoiceField(
        label=_("القناة"),
        choices=[
            (DraftChannel.EMAIL.value, DraftChannel.EMAIL.label),
            (DraftChannel.WHATSAPP.value, DraftChannel.WHATSAPP.label),
        ],
    )
    customers = forms.TypedMultipleChoiceField(
        label=_("إلى العملاء"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("اختر عميلاً متأثراً واحداً على الأقل.")},
    )

    def __init__(
        self,
        *args: object,
        kind: str,
        customers: list[tuple[int, str]],
        **kwargs: object,
    ) -> None:

        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.choice_field("customers").choices = customers
        self.placeholders = sorted(COMMS_PLACEHOLDERS[CommsKind(kind)])
        for name in self.placeholders:
            self.fields[name] = forms.CharField(
                label=COMMS_FIELD_LABELS.get(name, name), max_length=200
            )

    def values(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in self.placeholders}


class PostmortemForm(ConsoleForm):
    """The 8 fields of the post-mortem; any may be saved blank, all are needed to close."""

    def __init__(self, *args: object, **kwargs: object) -> None:

        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

        for field in POSTMORTEM_FIELDS:
            model_field = IncidentPostmortem._meta.get_field(field.key)
            self.fields[field.key] = forms.CharField(
                label=model_field.verbose_name if isinstance(model_field, Field) else field.key,
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )


# ── Customer success ────────────────────────────────────────────────────────────────────────────
class SuccessPlanForm(ConsoleForm):
    start_on = forms.DateField(label=_("يبدأ في (اختياري)"), required=False, widget=DateInput())


class ProofPackForm(ConsoleForm):
    title = forms.CharField(label=_("عنوان الـ Proof Pack"), max_length=200)
    delivered_at = forms.DateTimeField(
        label=_("وقت التسليم (اختياري، الآن افتراضياً)"),
        required=False,
        widget=DateTimeLocalInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    note = forms.CharField(label=_("ملاحظة"), max_length=500, required=False)


class CheckInForm(ConsoleForm):
    replies = forms.IntegerField(label=_("الردود هذا الأسبوع"), min_value=0, initial=0)
    meetings = forms.IntegerField(label=_("الاجتماعات المحجوزة"), min_value=0, initial=0)
    pipeline_sar = forms.DecimalField(
        label=_("قيمة الـ Pipeline (ريال)"), min_value=0, max_digits=14, decimal_places=2, initial=0
    )
    csat = forms.DecimalField(
        label=_("رضا العميل CSAT (0–10، اختياري)"),
        required=False,
        min_value=0,
        max_value=10,
        max_digits=4,
        decimal_places=1,
    )
    channel = forms.ChoiceField(
        label=_("القناة"),
        choices=[
            (DraftChannel.EMAIL.value, DraftChannel.EMAIL.label),
            (DraftChannel.WHATSAPP.value, DraftChannel.WHATSAPP.label),
        ],
    )
    to = forms.CharField(
        label=_("إلى (اختياري: جهة اتصال العميل افتراضياً)"),
        max_length=254,
        required=False,
        widget=forms.TextInput(attrs={"dir": "ltr"}),
    )


RISK_FILTER_CHOICES = [
    ("", _("المعرّضون للخطر (مرتفعة ومتوسطة)")),
    ("high", _("مرتفعة")),
    ("medium", _("متوسطة")),
    ("low", _("منخفضة")),
]


class AtRiskFilterForm(ConsoleForm):
    severity = forms.ChoiceField(label=_("درجة الخطر"), required=False, choices=RISK_FILTER_CHOICES)


# ── SLA report ──────────────────────────────────────────────────────────────────────────────────
class SlaReportForm(ConsoleForm):
    date_from = forms.DateField(label=_("من"), widget=DateInput())
    date_to = forms.DateField(label=_("إلى"), widget=DateInput())

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("تاريخ النهاية قبل البداية."))
        return cleaned


# ── Operator modes ──────────────────────────────────────────────────────────────────────────────
def _service_choices() -> list[tuple[str, str]]:

    return [("", str(_("اختر الخدمة…"))), *((s.id, service_name(s.id)) for s in SERVICES)]


class DeliveryForm(ConsoleForm):
    customer = forms.TypedChoiceField(label=_("العميل"), coerce=int, choices=_customer_pick_choices)
    service = forms.ChoiceField(label=_("الخدمة"), choices=_service_choices)


# ── Working calendar ────────────────────────────────────────────────────────────────────────────
class CalendarEditForm(ConsoleForm):
    """Every calendar edit carries the version its page showed (a stale one is refused, 409).

    The calendar screen holds several of these forms: each gets its own element ids (`id_prefix`)
    while the posted field names stay plain.
    """

    id_prefix = "calendar"
    version = forms.IntegerField(min_value=0, max_value=2**31 - 1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"id_{self.id_prefix}-%s")
        super().__init__(*args, **kwargs)


class HolidayForm(CalendarEditForm):
    id_prefix = "holiday"
    date = forms.DateField(label=_("التاريخ"), widget=DateInput())
    name = forms.CharField(label=_("المناسبة"), max_length=200)
    closed = forms.BooleanField(label=_("يوم عطلة"), required=False, initial=True)
    note = forms.CharField(label=_("ملاحظة"), max_length=500, required=False)


class HolidayDateForm(CalendarEditForm):
    date = forms.DateField(label=_("التاريخ"), widget=forms.HiddenInput)


class HolidayMoveForm(HolidayDateForm):
    id_prefix = "move"
    to = forms.DateField(label=_("إلى تاريخ"), widget=DateInput())
    note = forms.CharField(label=_("ملاحظة"), max_length=500, required=False)


class PeriodForm(CalendarEditForm):
    id_prefix = "period"
    name = forms.CharField(label=_("الاسم"), max_length=200)
    start = forms.DateField(label=_("من"), widget=DateInput())
    end = forms.DateField(label=_("إلى"), widget=DateInput())
    windows = forms.CharField(
        label=_("فترات العمل"),
        max_length=200,
        help_text=_(
            "مثال: 21:00-02:00 أو 10:00-14:00, 20:00-23:00 (فترة تنتهي بعد منتصف الليل مسموحة)"
        ),
    )
    note = forms.CharField(label=_("ملاحظة"), max_length=500, required=False)


class PeriodDeleteForm(CalendarEditForm):
    pass


class WeekForm(CalendarEditForm):
    """One text field a weekday: its windows as "09:00-12:00, 16:00-20:00"; empty is a day off."""

    id_prefix = "week"

    def __init__(
        self, *args: object, week_days: tuple[tuple[int, str], ...] = (), **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)
        for day, label in week_days:
            self.fields[f"day_{day}"] = forms.CharField(label=label, max_length=200, required=False)


def split_windows(text: str) -> list[list[str]]:
    """ "09:00-12:00, 16:00-20:00" as [["09:00", "12:00"], ["16:00", "20:00"]] (shape only)."""
    pairs: list[list[str]] = []
    for chunk in text.replace("،", ",").split(","):
        chunk = chunk.strip().replace("–", "-")
        if chunk:
            start, _dash, end = chunk.partition("-")
            pairs.append([start.strip(), end.strip()])
    return pairs


class LedgerFilterForm(ConsoleForm):
    """The ledger screen's filters: who, what verb, when (days in Riyadh), which object type."""

    actor = forms.TypedChoiceField(
        label=_("المنفّذ"),
        required=False,
        choices=ledger_actor_choices,
        coerce=int,
        empty_value=None,
    )
    verb = forms.ChoiceField(label=_("الإجراء"), required=False, choices=ledger_verb_choices)
    object_type = forms.ChoiceField(
        label=_("نوع الكائن"), required=False, choices=ledger_object_choices
    )
    date_from = forms.DateField(label=_("من"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("إلى"), required=False, widget=DateInput())
