"""Demo data: the two staff logins and a handful of Saudi customers across the five bundles.

Idempotent: running it again changes nothing. Refuses to run with DEBUG off unless --force,
so a production database never receives a user with the well-known demo password.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

from django.apps import apps as django_apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from customer_ops.models import Customer
from customer_ops.roles import Role, sync_role_permissions
from customer_ops.services.customers import customer_create

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
        self.stdout.write(
            f"seed_demo: {created_users} user(s) and {created_customers} customer(s) created."
        )

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
