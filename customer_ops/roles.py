"""Who is asking: the two staff roles and the checks every page and API route uses."""

from __future__ import annotations

from enum import StrEnum

from django.contrib.auth import models as auth_models
from django.contrib.auth.models import AnonymousUser

# A signed-in user: the AUTH_USER_MODEL (Django's own `User`), the type every user foreign key of
# our models holds. Services take it as their `actor`; views behind `staff_required` and API views
# behind `IsStaffMember` get it from `customer_ops.access.StaffRequest` / `api.permissions.staff_user`.
# A custom user model would change this one line.
SignedInUser = auth_models.User

# Whoever a request or a task acts for: a signed-in staff member, or nobody yet.
User = SignedInUser | AnonymousUser


class Role(StrEnum):
    FOUNDER = "Founder"
    OPERATOR = "Operator"


APPROVE_PERMISSION = "customer_ops.approve_outbounddraft"


def is_founder(user: User) -> bool:
    """Founders approve outbound drafts; the permission is granted through the Founder group."""
    return bool(user.is_authenticated and user.has_perm(APPROVE_PERMISSION))


def role_names(user: User) -> frozenset[str]:
    """The user's role groups, read once per user object (a request asks several times)."""
    if not user.is_authenticated:
        return frozenset()
    cached: frozenset[str] | None = getattr(user, "_dealix_roles", None)
    if cached is None:
        cached = frozenset(
            user.groups.filter(name__in=[Role.FOUNDER, Role.OPERATOR]).values_list(
                "name", flat=True
            )
        )
        user._dealix_roles = cached  # type: ignore[attr-defined]  # a per-object cache, not a field
    return cached


def is_staff_member(user: User) -> bool:
    """Operators and founders work in the console; anyone else signed in gets nothing."""
    if not user.is_authenticated:
        return False
    return bool(getattr(user, "is_superuser", False) or role_names(user))


# What each group may do, as permission codenames of this app. Operators do the daily work;
# founders may additionally approve. Re-applied by any migration that adds models.
OPERATOR_ACTIONS = ("view", "add", "change")
# Written only by services, never through a permission-checked form: view only.
VIEW_ONLY_MODELS = (
    "ledgerentry",
    "slaevent",
    "incidenttimelineentry",
    "slaverdictnotice",
    "scheduledrun",
    "weeklyslareview",
    "liveactionsfreeze",
)


def sync_role_permissions(apps) -> None:  # noqa: ANN001 - migration "apps" registry
    """Create the Founder and Operator groups and give them this app's permissions (idempotent)."""
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes

    # Inside a migration the app config is a stub; permissions are normally created only after
    # all migrations ran, so create this app's content types and permissions now.
    app_config = apps.get_app_config("customer_ops")
    app_config.models_module = True
    create_contenttypes(app_config, verbosity=0, apps=apps)
    create_permissions(app_config, verbosity=0, apps=apps)
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    app_permissions = permission_model.objects.filter(content_type__app_label="customer_ops")
    operator_perms = [
        perm
        for perm in app_permissions
        if perm.codename.split("_", 1)[0] in OPERATOR_ACTIONS
        and (perm.codename.startswith("view_") or perm.content_type.model not in VIEW_ONLY_MODELS)
    ]
    founder_perms = operator_perms + [
        perm for perm in app_permissions if perm.codename == APPROVE_PERMISSION.split(".")[1]
    ]
    operator, _ = group_model.objects.get_or_create(name=Role.OPERATOR)
    founder, _ = group_model.objects.get_or_create(name=Role.FOUNDER)
    operator.permissions.set(operator_perms)
    founder.permissions.set(founder_perms)
