"""Forms of the assistance. They parse and present; the services validate the rules.

A form shown next to others on one page (the session page) declares its own ``prefix``, so its
element ids and field names never clash with another form's (a label would focus the wrong
field) and the view that handles its POST reads the same prefixed names without repeating it.
A field is marked required exactly when the service requires it: the "(optional)" mark next to
a label is derived from ``required``, so the two cannot disagree.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kotacerdas.engagements.models import (
    Action,
    AttendanceStatus,
    Cohort,
    CommitmentSignatory,
    Engagement,
    MentorTeamMember,
    MinistryResponseStatus,
    Obstacle,
    ObstacleStatus,
    OutcomeKind,
    Session,
)
from kotacerdas.lib import files
from kotacerdas.lib.forms import DateInput, DateOrderMixin, VersionedFormMixin
from kotacerdas.regions.models import OPD, Region


def _programmes(region: Region) -> Any:
    from kotacerdas.plans.models import Programme

    return Programme.objects.filter(region=region).select_related("edition").order_by("-edition__year", "code")


class ProgrammeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} {obj.name} ({obj.edition.year})"


class EngagementCreateForm(forms.Form):
    cohort = forms.ModelChoiceField(label=_("cohort"), queryset=Cohort.objects.all())
    purpose = forms.CharField(label=_("purpose"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    starts_on = forms.DateField(label=_("period from"), widget=DateInput(), required=False)
    ends_on = forms.DateField(label=_("period to"), widget=DateInput(), required=False)


class EngagementForm(DateOrderMixin, VersionedFormMixin, forms.ModelForm):
    date_order = (("starts_on", "ends_on"),)

    class Meta:
        model = Engagement
        fields = ["purpose", "starts_on", "ends_on", "agreement_number", "agreement_date", "agreement_file"]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "agreement_date": DateInput(),
        }
        help_texts = {"starts_on": _("Empty: the cohort's calendar year.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        files.describe_file_field(self.fields["agreement_file"], self.instance.agreement_filename)


class MentorForm(forms.ModelForm):
    class Meta:
        model = MentorTeamMember
        fields = ["person_name", "institution", "role", "user"]

    def __init__(self, *args: Any, region: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        from kotacerdas.accounts.models import Role

        field = self.fields["user"]
        field.queryset = (  # type: ignore[attr-defined]
            get_user_model()
            .objects.filter(memberships__region=region, memberships__role=Role.MENTOR)
            .order_by("first_name", "username")
        )
        field.required = False
        field.label = _("Account in KotaCerdas")
        field.help_text = _(
            "Only people granted the mentor role in this region are listed; leave empty if they have none."
        )


class SessionForm(DateOrderMixin, VersionedFormMixin, forms.ModelForm):
    date_order = (("starts_on", "ends_on"),)

    class Meta:
        model = Session
        fields = ["stage", "title", "starts_on", "ends_on", "venue"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}

    def _post_clean(self) -> None:
        """Model validation runs in the service (with the engagement), not on the bare instance."""


class DefaultScheduleForm(forms.Form):
    first_day = forms.DateField(label=_("first day of Bimtek I"), widget=DateInput())
    days = forms.TypedChoiceField(label=_("days per stage"), choices=[(1, "1"), (2, "2")], coerce=int, initial=2)
    venue = forms.CharField(label=_("venue"), max_length=200, required=False)


class MinutesForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Session
        fields = ["chair", "minute_taker", "mentors_present", "minutes"]
        widgets = {"minutes": forms.Textarea(attrs={"rows": 14}), "mentors_present": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["mentors_present"]
        field.queryset = MentorTeamMember.objects.filter(engagement_id=self.instance.engagement_id)  # type: ignore[attr-defined]

    def _post_clean(self) -> None:
        """Validated by the service."""


class AgendaItemForm(forms.Form):
    prefix = "agenda"

    section = forms.CharField(label=_("section"), max_length=120, help_text=_("E.g. Opening, Material, Group work."))
    title = forms.CharField(label=_("item"), max_length=300)
    programme = ProgrammeChoiceField(label=_("programme"), queryset=None, required=False)

    def __init__(self, *args: Any, region: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = _programmes(region)  # type: ignore[attr-defined]


class AttendanceForm(forms.Form):
    opd: forms.ModelChoiceField[OPD] = forms.ModelChoiceField(label=_("agency (OPD)"), queryset=OPD.objects.none())
    status = forms.ChoiceField(label=_("attendance"), choices=AttendanceStatus.choices)
    person_name = forms.CharField(label=_("name of who attended"), max_length=200, required=False)
    position = forms.CharField(label=_("position"), max_length=200, required=False)
    signed = forms.BooleanField(label=_("signed the sign-in list"), required=False)

    def __init__(self, *args: Any, region: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Every agency of the region is offered; the service refuses one not valid on the day,
        # with a message that says so (a silent "not one of the choices" would not).
        self.fields["opd"].queryset = OPD.objects.filter(region=region).order_by("name")  # type: ignore[attr-defined]


class OutcomeForm(forms.Form):
    """An information or a decision; an action has its own form (it needs an owner and a date)."""

    prefix = "outcome"

    kind = forms.ChoiceField(label=_("kind"), choices=[c for c in OutcomeKind.choices if c[0] != OutcomeKind.ACTION])
    text = forms.CharField(label=_("text"), widget=forms.Textarea(attrs={"rows": 3}))


class ActionOutcomeForm(forms.Form):
    """An action agreed at the session: required here exactly as on the :class:`Action` it creates."""

    prefix = "action"

    text = forms.CharField(label=_("action"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}))
    owner_opd: forms.ModelChoiceField[OPD] = forms.ModelChoiceField(
        label=_("owner agency (OPD)"), queryset=OPD.objects.none()
    )
    owner_name = forms.CharField(label=_("owner (person)"), max_length=200)
    owner_email = forms.EmailField(label=_("owner's e-mail"), required=False, help_text=_("For reminders."))
    due_on = forms.DateField(label=_("due on"), widget=DateInput())
    programme = ProgrammeChoiceField(label=_("concerns programme"), queryset=None, required=False)

    def __init__(self, *args: Any, region: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_opd"].queryset = OPD.objects.filter(region=region).order_by("name")  # type: ignore[attr-defined]
        self.fields["programme"].queryset = _programmes(region)  # type: ignore[attr-defined]


class ActionForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Action
        fields = ["title", "owner_opd", "owner_name", "owner_email", "due_on", "status", "programme"]
        widgets = {"due_on": DateInput()}

    def __init__(self, *args: Any, region: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_opd"].queryset = OPD.objects.filter(region=region).order_by("name")  # type: ignore[attr-defined]
        self.fields["programme"] = ProgrammeChoiceField(
            label=_("concerns programme"), queryset=_programmes(region), required=False
        )

    def _post_clean(self) -> None:
        """Validated by the service."""


class ObstacleForm(forms.ModelForm):
    prefix: str | None = "obstacle"

    class Meta:
        model = Obstacle
        fields = ["description", "category", "opd", "programme", "owner_name", "proposed_solution"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "proposed_solution": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, region: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["opd"].queryset = OPD.objects.filter(region=region).order_by("name")  # type: ignore[attr-defined]
        self.fields["programme"] = ProgrammeChoiceField(
            label=_("programme"), queryset=_programmes(region), required=False
        )

    def _post_clean(self) -> None:
        """Validated by the service."""


class ObstacleEditForm(VersionedFormMixin, ObstacleForm):
    prefix = None  # alone on its page

    class Meta(ObstacleForm.Meta):
        fields = [*ObstacleForm.Meta.fields, "status", "resolved_in"]

    def __init__(self, *args: Any, region: Region, engagement: Engagement, may_escalate: bool, **kwargs: Any) -> None:
        super().__init__(*args, region=region, **kwargs)
        self.fields["resolved_in"].queryset = Session.objects.filter(engagement=engagement)  # type: ignore[attr-defined]
        self.fields["resolved_in"].help_text = _("Required when the status is resolved.")
        if not may_escalate and self.instance.status != ObstacleStatus.ESCALATED:
            self.fields["status"].choices = [c for c in ObstacleStatus.choices if c[0] != ObstacleStatus.ESCALATED]  # type: ignore[attr-defined]
            # Say why the choice is missing and who to ask, instead of leaving a dead end.
            self.fields["status"].help_text = _(
                "Escalating to the ministry is for the mentor team or the ministry: ask your mentor to escalate it."
            )


class MinistryResponseForm(VersionedFormMixin, forms.ModelForm):
    """The ministry's answer to an escalated obstacle (every field is required by the service)."""

    class Meta:
        model = Obstacle
        fields = ["ministry_status", "ministry_owner", "ministry_note"]
        widgets = {"ministry_note": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if field is not self.fields["version"]:
                field.required = True
        self.fields["ministry_status"].choices = MinistryResponseStatus.choices  # type: ignore[attr-defined]

    def _post_clean(self) -> None:
        """Validated by the service."""


class SignatureForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = CommitmentSignatory
        fields = ["person_name", "signed_on"]
        widgets = {"signed_on": DateInput()}

    def _post_clean(self) -> None:
        """Validated by the service."""


class CommitmentScanForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Engagement
        fields = ["commitment_scan"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        files.describe_file_field(self.fields["commitment_scan"], self.instance.commitment_scan_filename)

    def _post_clean(self) -> None:
        """Validated by the service."""
