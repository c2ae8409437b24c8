from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kotacerdas.accounts.models import Role, User
from kotacerdas.regions.models import OPD, Region


class GrantForm(forms.Form):
    username = forms.CharField(
        label=_("username"), max_length=150, help_text=_("The person must already have an account.")
    )
    role = forms.ChoiceField(label=_("role"), choices=Role.choices)
    opd = forms.ModelChoiceField(
        label=_("agency (OPD)"), queryset=OPD.objects.none(), required=False, help_text=_("Only for editors.")
    )

    def __init__(self, *args: Any, region: Region, allow_mentor: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["opd"].queryset = OPD.objects.filter(region=region).order_by("name")  # type: ignore[attr-defined]
        if not allow_mentor:
            self.fields["role"].choices = [c for c in Role.choices if c[0] != Role.MENTOR]  # type: ignore[attr-defined]

    def clean_username(self) -> User:
        username = self.cleaned_data["username"].strip()
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("No active account with this username."))
        return user
