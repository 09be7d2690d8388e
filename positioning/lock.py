"""The locked positioning as data: the one source of truth for category, bundles and modes.

Plain Python, no Django: the domain, the docs' tests, the landing pages' tests and the app all
read these values from here (SPEC_RULES §10.1).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from customer_ops.domain.errors import DomainError

CATEGORY = "Saudi Revenue Execution OS"
CATEGORY_AR = "نظام تشغيل الإيرادات السعودي"
TAGLINE = f"Dealix — {CATEGORY}"


class BundleId(StrEnum):
    GROWTH_STARTER = "growth_starter"
    DATA_TO_REVENUE = "data_to_revenue"
    EXECUTIVE_GROWTH_OS = "executive_growth_os"
    PARTNERSHIP_GROWTH = "partnership_growth"
    FULL_GROWTH_CONTROL_TOWER = "full_growth_control_tower"


@dataclass(frozen=True, slots=True)
class Bundle:
    id: BundleId
    name: str
    name_ar: str
    price_ar: str
    """The price exactly as the documents and landing pages print it."""
    price_en: str
    monthly: bool
    contents_ar: str


BUNDLES: tuple[Bundle, ...] = (
    Bundle(
        id=BundleId.GROWTH_STARTER,
        name="Growth Starter",
        name_ar="باقة البداية",
        price_ar="499 ريال",
        price_en="499 SAR",
        monthly=False,
        contents_ar="تشخيص مجاني + أول 10 فرص + Proof Pack مختصر",
    ),
    Bundle(
        id=BundleId.DATA_TO_REVENUE,
        name="Data to Revenue",
        name_ar="من البيانات إلى الإيراد",
        price_ar="1,500 ريال",
        price_en="1,500 SAR",
        monthly=False,
        contents_ar="List Intelligence + أفضل 50 هدفاً + رسائل + تقرير مخاطر",
    ),
    Bundle(
        id=BundleId.EXECUTIVE_GROWTH_OS,
        name="Executive Growth OS",
        name_ar="نظام النمو التنفيذي",
        price_ar="2,999 ريال شهرياً",
        price_en="2,999 SAR/month",
        monthly=True,
        contents_ar="موجز يومي + مركز الموافقات + Proof Pack أسبوعي",
    ),
    Bundle(
        id=BundleId.PARTNERSHIP_GROWTH,
        name="Partnership Growth",
        name_ar="نمو الشراكات",
        price_ar="3,000–7,500 ريال",
        price_en="3,000–7,500 SAR",
        monthly=False,
        contents_ar="قائمة شركاء + رسائل تواصل + اجتماعات شراكة + بطاقة أداء الشركاء",
    ),
    Bundle(
        id=BundleId.FULL_GROWTH_CONTROL_TOWER,
        name="Full Growth Control Tower",
        name_ar="برج التحكم الكامل بالنمو",
        price_ar="حسب الاتفاق",
        price_en="Custom",
        monthly=False,
        contents_ar="30 يوماً، كل الخدمات على مراحل",
    ),
)

BUNDLES_BY_ID: dict[str, Bundle] = {bundle.id.value: bundle for bundle in BUNDLES}


@dataclass(frozen=True, slots=True)
class Mode:
    name: str
    summary_ar: str


MODES: tuple[Mode, ...] = (
    Mode("CEO Mode", "قرارات اليوم، الموافقات، الإثبات، المخاطر، وثلاث خطوات تالية"),
    Mode("Growth Manager Mode", "الحملات، الأهداف، المتابعات، الاجتماعات، وصحة القنوات"),
    Mode("Agency Partner Mode", "إضافة عميل، تشخيص، Proof Pack بعلامة مشتركة، ومشاركة الإيراد"),
    Mode("Self-Growth Mode", "Dealix يستهدف عملاءه بالنظام نفسه"),
    Mode("Service Delivery Mode", "تشغيل خدمات العملاء، الـ SLA، المخرجات، والإثبات"),
)


def bundle_get(bundle_id: str) -> Bundle:
    """The bundle with this id; an unknown id is an error, never a silent Growth Starter."""
    try:
        return BUNDLES_BY_ID[bundle_id]
    except KeyError:
        raise UnknownBundle(bundle_id) from None


class UnknownBundle(DomainError):
    """Raised for a bundle id that the positioning lock does not define (the API answers 400)."""

    def __init__(self, bundle_id: object) -> None:
        super().__init__(
            f"unknown bundle: {bundle_id}",
            field="bundle_id",
            message_ar=f"باقة غير معروفة: {bundle_id}",
        )
        self.bundle_id = bundle_id
