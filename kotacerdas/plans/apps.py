from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "kotacerdas.plans"
    verbose_name = _("Master plans")
