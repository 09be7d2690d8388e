from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CustomerOpsConfig(AppConfig):
    name = "customer_ops"
    verbose_name = _("عمليات العملاء")
    default_auto_field = "django.db.models.BigAutoField"
