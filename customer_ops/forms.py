"""Console forms: the shape of what a screen sends (types, lengths, choices), nothing more.

The rules (which moves are legal, who may approve, what a draft may say) live in the domain and
are enforced by the services; a refusal from there comes back as a field or form error.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from customer_ops.domain.transitions import ConnectorState
from customer_ops.models.customers import CustomerStatus
from customer_ops.models.drafts import DraftChannel
from positioning.lock import BUNDLES


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


class CustomerFilterForm(forms.Form):
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


class ConnectorBoardFilterForm(forms.Form):
    q = forms.CharField(
        label=_("بحث"),
        required=False,
        max_length=100,
        widget=forms.SearchInput(attrs={"placeholder": _("اسم الشركة")}),
    )
    readiness = forms.ChoiceField(label=_("الجاهزية"), required=False, choices=READINESS_CHOICES)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)  # type: ignore[arg-type]


class CustomerCreateForm(forms.Form):
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

    def clean_company_name(self) -> str:
        name: str = self.cleaned_data["company_name"].strip()
        if not name:
            raise forms.ValidationError(_("اكتب اسم الشركة."))
        return name

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        start, renewal = cleaned.get("pilot_started_on"), cleaned.get("renewal_on")
        if start and renewal and renewal < start:
            self.add_error("renewal_on", _("تاريخ التجديد قبل بداية التجربة."))
        return cleaned


class OnboardingStepForm(forms.Form):
    completed = forms.BooleanField(required=False)
    notes = forms.CharField(max_length=200, required=False)


class ConnectorMoveForm(forms.Form):
    to = forms.ChoiceField(choices=[(state.value, state.value) for state in ConnectorState])


class DraftCreateForm(forms.Form):
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


class DraftRejectForm(forms.Form):
    reason = forms.CharField(
        label=_("سبب الرفض"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("الرفض يحتاج إلى سبب.")},
    )


class DraftMarkSentForm(forms.Form):
    note = forms.CharField(label=_("ملاحظة (اختياري)"), max_length=500, required=False)


DRAFT_TABS = [
    ("pending", _("بانتظار الموافقة")),
    ("approved", _("معتمدة — لم تُرسل")),
    ("rejected", _("مرفوضة")),
    ("sent", _("أُرسلت")),
    ("all", _("الكل")),
]


class DraftFilterForm(forms.Form):
    status = forms.ChoiceField(required=False, choices=DRAFT_TABS)
    customer = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
