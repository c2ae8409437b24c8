from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrameworksConfig(AppConfig):
    name = "kotacerdas.frameworks"
    verbose_name = _("Reference frameworks")
