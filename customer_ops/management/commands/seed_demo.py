"""Demo data: the two staff logins and a handful of Saudi customers across the five bundles.

Idempotent: running it again changes nothing. Refuses to run with DEBUG off unless --force,
so a production database never receives a user with the well-known demo password.
"""

from __future__ import annotations

import datetime as dt
import os
from random import Random
from typing import Any

from django.apps import apps as django_apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from customer_ops.management.growth import GrowthAnalyzer
from customer_ops.management.progress import ProgressBar
from customer_ops.models import Customer, LedgerEntry, SearchEntry, SlaEvent, Ticket
from customer_ops.roles import Role, sync_role_permissions
from customer_ops.services.customers import customer_create
from customer_ops.services.demo_operations import seed_operations
from customer_ops.services.tickets import ticket_create

TICKET_BATCH = 500
# What `ticket_create` writes to, per ticket: analysed as they grow (see `_more_tickets`).
SEEDED_TABLES = tuple(
    model._meta.db_table for model in (Ticket, SlaEvent, LedgerEntry, SearchEntry)
)
DEMO_TICKET_TEXTS = (
    ("سؤال عن موعد التقرير الأسبوعي", "متى يصلنا Proof Pack هذا الأسبوع؟"),
    ("مشكلة في ربط Gmail", "الربط يطلب الصلاحيات مرة أخرى كل يوم."),
    ("الخدمة معطلة منذ الصباح", "خدمة معطلة ولا تظهر الفرص الجديدة."),
    ("Pilot stopped after the update", "Our Pilot stopped showing new opportunities."),
    ("استفسار عن الفاتورة", "نرغب في فاتورة باسم الشركة الجديد."),
    ("Calendar invites missing", "The Calendar drafts did not appear this morning."),
    ("اقتراح تحسين", "نقترح إضافة تصدير إلى Sheets بشكل أسبوعي."),
    ("تأخر الرد على العملاء", "هل يمكن مراجعة المسودات المعلقة اليوم؟"),
)

DEMO_USERS = (
    ("founder", Role.FOUNDER, "عبدالله", "المؤسس"),
    ("operator", Role.OPERATOR, "سارة", "المشغّلة"),
)

DEMO_CUSTOMERS: tuple[dict[str, Any], ...] = (
    {
        "company_name": "شركة نمو للتدريب",
        "bundle": "growth_starter",
        "sector": "تدريب",
        "city": "الرياض",
        "contact_name": "ريم العتيبي",
        "contact_email": "reem@numuw-training.sa",
        "pilot_days_ago": 5,
    },
    {
        "company_name": "مؤسسة أفق للاستشارات الإدارية",
        "bundle": "data_to_revenue",
        "sector": "استشارات",
        "city": "الرياض",
        "contact_name": "فهد القحطاني",
        "contact_email": "fahad@ofoq-consulting.sa",
        "pilot_days_ago": 12,
    },
    {
        "company_name": "سحابة الخليج للبرمجيات",
        "bundle": "executive_growth_os",
        "sector": "SaaS",
        "city": "الخبر",
        "contact_name": "نورة الدوسري",
        "contact_email": "noura@gulfcloud.sa",
        "pilot_days_ago": 40,
    },
    {
        "company_name": "وكالة رواد للتسويق الرقمي",
        "bundle": "partnership_growth",
        "sector": "وكالة تسويق",
        "city": "جدة",
        "contact_name": "ماجد الغامدي",
        "contact_email": "majed@rowad-agency.sa",
        "pilot_days_ago": 20,
    },
    {
        "company_name": "دار الإعمار العقارية",
        "bundle": "full_growth_control_tower",
        "sector": "عقار",
        "city": "جدة",
        "contact_name": "خالد الزهراني",
        "contact_email": "khalid@dar-alemar.sa",
        "pilot_days_ago": 2,
    },
)


class Command(BaseCommand):
    help = "Create the demo logins (founder, operator) and demo customers; safe to run twice."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force", action="store_true", help="run even with DEBUG off (not for production)"
        )
        parser.add_argument(
            "--tickets",
            type=int,
            default=0,
            help="top the demo up to at least this many tickets (for large data sets)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "seed_demo creates users with a demo password; it runs only with DJANGO_DEBUG=1 "
                "(or pass --force on a throwaway database)."
            )
        password = os.environ.get("DEMO_PASSWORD", "dealix-demo")
        now = timezone.now()
        with transaction.atomic():
            created_users = self._users(password)
            created_customers = self._customers(now)
            operations = seed_operations(now=now)
        self.stdout.write(
            f"seed_demo: {created_users} user(s) and {created_customers} customer(s) created; "
            f"operations: {operations}."
        )
        if options["tickets"] > 0:
            self._more_tickets(options["tickets"], now)

    def _more_tickets(self, wanted: int, now: dt.datetime) -> None:
        """Create tickets until there are `wanted`, through the ticket service, in batches.

        Through `ticket_create`, so each ticket gets what the service gives it: its `opened`
        event and clocks, its ledger row and its search row (`SearchEntry`). That costs a few
        milliseconds per ticket: fine for tens of thousands, hours for a million; the benchmarks
        load a million with COPY instead (`bench.bulk_pg.load_desk`: the same rows, built by the
        same clock functions and search row builders). The tables are analysed as they grow
        (`GrowthAnalyzer`), so no plan cached while they were small slows the later batches.
        """
        missing = wanted - Ticket.objects.count()
        if missing <= 0:
            self.stdout.write(f"seed_demo: already {wanted} or more tickets.")
            return
        random = Random(wanted)  # the same data set for the same size  # noqa: S311
        customers = list(Customer.objects.values_list("pk", flat=True))
        operator = get_user_model().objects.get(username="operator")
        progress = ProgressBar(missing, stream=self.stdout, label="tickets")
        growth = GrowthAnalyzer(SEEDED_TABLES)
        for start in range(0, missing, TICKET_BATCH):
            with transaction.atomic():
                for _ in range(min(TICKET_BATCH, missing - start)):
                    subject, body = random.choice(DEMO_TICKET_TEXTS)
                    ticket_create(
                        customer_id=random.choice(customers),
                        subject=subject,
                        body=body,
                        channel=random.choice(["email", "whatsapp", "phone", "web_form"]),
                        actor=operator,
                        now=now - dt.timedelta(minutes=random.randint(0, 60 * 24 * 30)),
                    )
                    progress.advance()
            growth.after_batch(start + TICKET_BATCH)
        progress.close()

    def _users(self, password: str) -> int:
        sync_role_permissions(django_apps)  # the groups exist after migrate; this re-checks them
        user_model = get_user_model()
        created = 0
        for username, role, first_name, last_name in DEMO_USERS:
            user, was_created = user_model.objects.get_or_create(
                username=username,
                defaults={"first_name": first_name, "last_name": last_name, "is_staff": True},
            )
            if was_created:
                user.set_password(password)
                user.save(update_fields=["password"])
                created += 1
            user.groups.add(Group.objects.get(name=role))
        return created

    def _customers(self, now: dt.datetime) -> int:
        founder = get_user_model().objects.get(username="founder")
        created = 0
        for spec in DEMO_CUSTOMERS:
            if Customer.objects.filter(company_name=spec["company_name"]).exists():
                continue
            values = {key: value for key, value in spec.items() if key != "pilot_days_ago"}
            pilot_started = timezone.localdate(now) - dt.timedelta(days=spec["pilot_days_ago"])
            customer_create(
                **values,
                pilot_started_on=pilot_started,
                renewal_on=pilot_started + dt.timedelta(days=30),
                actor=founder,
                now=now,
            )
            created += 1
        return created
