from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuickwinsConfig(AppConfig):
    name = "kotacerdas.quickwins"
    verbose_name = _("Quick wins")
