"""Editing a draft assessment template in the browser (ministry staff only).

Templates are programme-wide reference data, not region data, so there is no region to reach
first: every view asks ``access.require_ministry`` before fetching anything (403 for everyone
else; visitors are sent to sign in), then fetches by primary key (404 when it is not there), and
sections and items only inside their template. Only a draft changes: the pages of a published
version send the user back to it with a message, and the services refuse it too. Plain forms,
POST then redirect; the services in ``services/templates.py`` validate and write.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kotacerdas.accounts import access
from kotacerdas.assessments.models import AnswerType, Item, Section, Template, TemplateStatus
from kotacerdas.assessments.services import templates as services
from kotacerdas.frameworks.forms import LocalDecimalField
from kotacerdas.frameworks.models import FrameworkEntry
from kotacerdas.lib.concurrency import EditConflict
from kotacerdas.lib.confirm import ask_first
from kotacerdas.lib.forms import refuse_missing_version, submit

# Forms: they only parse; the services check what needs the rest of the template -----------------

CHOICES_HINT = gettext_lazy("One choice per line: code | label | points (0 to 100), e.g. T | Tinggi | 75.")
BANDS_HINT = gettext_lazy(
    "One threshold per line, rising. Each threshold the answer reaches adds an equal share of the points."
)
RUBRIC_HINT = gettext_lazy("One line per level, from the lowest level up; leave empty for no rubric.")
DIRECTIONS = [("higher", gettext_lazy("higher is better")), ("lower", gettext_lazy("lower is better"))]


class RevisionForm(forms.Form):
    """Carries the ``revision`` of the row the form was loaded from (optimistic locking).

    Required when the form edits an existing row, like lib/forms.VersionedFormMixin's version.
    """

    revision = forms.IntegerField(widget=forms.HiddenInput)
    conflict = False

    def full_clean(self) -> None:
        super().full_clean()
        refuse_missing_version(self, "revision")


class HeaderForm(RevisionForm):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    description = forms.CharField(
        label=gettext_lazy("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    thresholds = forms.CharField(
        label=gettext_lazy("Level thresholds"),
        help_text=gettext_lazy(
            "The score (0 to 100) from which each level above level 1 starts, separated by semicolons, "
            "e.g. 20; 40; 60; 80."
        ),
    )
    combine = forms.ChoiceField(
        label=gettext_lazy("Combine the scores of several assessors by"),
        choices=[("mean", gettext_lazy("mean")), ("median", gettext_lazy("median"))],
    )
    field_order = ["title", "description", "thresholds", "combine"]


class SectionForm(RevisionForm):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    weight = LocalDecimalField(
        label=gettext_lazy("Weight"),
        max_digits=8,
        decimal_places=2,
        help_text=gettext_lazy("The section's share of the overall score, relative to the other sections."),
    )
    order = forms.IntegerField(
        label=gettext_lazy("Position"),
        min_value=0,
        help_text=gettext_lazy("Sections are listed from the lowest number to the highest."),
    )
    field_order = ["title", "weight", "order"]


class ItemForm(RevisionForm):
    """An item's editable fields; which option fields it shows depends on the answer type."""

    text = forms.CharField(label=gettext_lazy("Question"), widget=forms.Textarea(attrs={"rows": 3}))
    guidance = forms.CharField(label=gettext_lazy("Guidance"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    weight = LocalDecimalField(
        label=gettext_lazy("Weight"),
        max_digits=8,
        decimal_places=2,
        help_text=gettext_lazy("The item's share of its element's score, relative to the other items."),
    )
    evidence_required = forms.BooleanField(label=gettext_lazy("Evidence required"), required=False)
    allow_na = forms.BooleanField(label=gettext_lazy("May be answered as not applicable"), required=False)
    options = forms.CharField(label=gettext_lazy("Choices"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    direction = forms.ChoiceField(label=gettext_lazy("Which values are better"), choices=DIRECTIONS, required=False)
    min = LocalDecimalField(label=gettext_lazy("Lowest value allowed"), required=False)
    max = LocalDecimalField(label=gettext_lazy("Highest value allowed"), required=False)
    rubric = forms.CharField(
        label=gettext_lazy("Rubric"), required=False, help_text=RUBRIC_HINT, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args: Any, answer_type: str | None, **kwargs: Any) -> None:
        """``answer_type`` None (a new item, its type chosen on the same page) keeps every option
        field and says which type each is for; otherwise only the type's own fields are kept."""
        super().__init__(*args, **kwargs)
        fields = self.fields
        if answer_type is None:
            fields["options"].label = _("Choices or thresholds")
            fields["options"].help_text = _("For a choice item: %(choices)s For a number item: %(bands)s") % {
                "choices": CHOICES_HINT,
                "bands": BANDS_HINT,
            }
            fields["direction"].label = _("Which values are better (number items)")
            fields["min"].label = _("Lowest value allowed (number items)")
            fields["max"].label = _("Highest value allowed (number items)")
            fields["rubric"].label = _("Rubric (level items)")
            return
        keep = {"revision", "text", "guidance", "weight", "evidence_required", "allow_na"}
        if answer_type == AnswerType.CHOICE:
            keep.add("options")
            fields["options"].help_text = CHOICES_HINT
            fields["options"].required = True
        elif answer_type == AnswerType.NUMBER:
            keep.update({"options", "direction", "min", "max"})
            fields["options"].label = _("Thresholds (bands)")
            fields["options"].help_text = BANDS_HINT
            fields["options"].required = True
        elif answer_type == AnswerType.LEVEL:
            keep.add("rubric")
        for name in list(fields):
            if name not in keep:
                del fields[name]


class AddItemForm(ItemForm):
    """A new item: its section, code, answer type and taxonomy entry, then the fields of every item."""

    section = forms.ModelChoiceField(queryset=Section.objects.none(), label=gettext_lazy("Section"))
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=40,
        help_text=gettext_lazy("A short, stable identifier, e.g. GOV-1.4. It cannot be changed later."),
    )
    answer_type = forms.ChoiceField(label=gettext_lazy("Answer type"), choices=AnswerType.choices)
    entry = forms.ModelChoiceField(
        queryset=FrameworkEntry.objects.none(),
        required=False,
        label=gettext_lazy("Element or component"),
        help_text=gettext_lazy(
            "The entry of the taxonomy the item scores into; leave empty to score it into its section."
        ),
    )
    field_order = ["section", "code", "answer_type", "entry", "text", "guidance", "weight"]

    def __init__(self, *args: Any, template: Template, **kwargs: Any) -> None:
        super().__init__(*args, answer_type=None, **kwargs)
        self.fields["revision"].required = False  # a new row has no revision yet
        self.fields["section"].queryset = Section.objects.filter(template=template)  # type: ignore[attr-defined]
        entries = FrameworkEntry.objects.filter(framework_id=template.taxonomy_id).order_by("order", "id")
        self.fields["entry"].queryset = entries  # type: ignore[attr-defined]


def _header_initial(template: Template) -> dict[str, Any]:
    return {
        "title": template.title,
        "description": template.description,
        "thresholds": "; ".join(services.number_text(t) for t in template.thresholds),
        "combine": template.combine,
        "revision": template.revision,
    }


def _item_initial(item: Item) -> dict[str, Any]:
    options = item.options or {}
    initial: dict[str, Any] = {
        "text": item.text,
        "guidance": item.guidance,
        "weight": item.weight,
        "evidence_required": item.evidence_required,
        "allow_na": item.allow_na,
        "rubric": "\n".join(item.rubric),
        "revision": item.revision,
    }
    if item.answer_type == AnswerType.CHOICE:
        initial["options"] = "\n".join(
            f"{c['code']} | {c['label']} | {services.number_text(c['points'])}" for c in options.get("choices", [])
        )
    if item.answer_type == AnswerType.NUMBER:
        initial["options"] = "\n".join(services.number_text(b) for b in options.get("bands", []))
        initial["direction"] = options.get("direction") or "higher"
        for bound in ("min", "max"):
            if options.get(bound) is not None:
                initial[bound] = services.number_text(options[bound])
    return initial


# Views ------------------------------------------------------------------------------------------


def _template(request: HttpRequest, pk: int) -> Template:
    """The template, for ministry staff only (403 before anything is read; 404 when not there)."""
    access.require_ministry(request.user)
    return get_object_or_404(Template.objects.select_related("taxonomy", "levels"), pk=pk)


def _edit_url(template: Template, anchor: str = "") -> str:
    url = reverse("assessments:template_edit", args=[template.pk])
    return f"{url}#{anchor}" if anchor else url


def _refuse_published(request: HttpRequest, template: Template) -> HttpResponse:
    messages.error(request, _("A published version cannot be changed; start a new draft."))
    return redirect("assessments:template", template.pk)


def _status(form: forms.BaseForm) -> int:
    return 409 if getattr(form, "conflict", False) else 200


def _form_page(
    request: HttpRequest, template: Template, form: forms.BaseForm, title: str, submit_label: str | None = None
) -> HttpResponse:
    context = {
        "template": template,
        "form": form,
        "title": title,
        "submit_label": submit_label,
        "cancel_url": _edit_url(template),
    }
    return render(request, "assessments/template_edit_form.html", context, status=_status(form))


@login_required
@require_POST
def start_version(request: HttpRequest, pk: int) -> HttpResponse:
    source = _template(request, pk)
    try:
        draft = services.start_template_version(actor=request.user, template=source)
    except services.DraftExists as exists:
        messages.error(request, " ".join(exists.messages))
        return redirect(_edit_url(exists.draft))
    messages.success(
        request,
        _("Version %(version)s started as a draft from version %(source)s. Change it, then publish it.")
        % {"version": draft.version, "source": source.version},
    )
    return redirect(_edit_url(draft))


@login_required
def template_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The draft editor: the template's details as a form, every section and item with its actions,
    and what still blocks publishing. A fixed number of queries, however many items there are."""
    template = _template(request, pk)
    if template.status != TemplateStatus.DRAFT:
        return _refuse_published(request, template)
    form = HeaderForm(request.POST or None, initial=_header_initial(template))

    def save(data: dict[str, Any]) -> Template:
        return services.update_template_header(
            actor=request.user, template=template, data=data, expected_revision=data["revision"]
        )

    if submit(request, form, save):
        messages.success(request, _("Template details saved."))
        return redirect(_edit_url(template))
    sections = list(services.sections_with_items(template))
    context = {
        "template": template,
        "form": form,
        "sections": sections,
        "problems": services.publish_problems(template, sections),
        "submit_label": _("Save the details"),
    }
    return render(request, "assessments/template_edit.html", context, status=_status(form))


@login_required
def section_edit(request: HttpRequest, pk: int, section: int) -> HttpResponse:
    template = _template(request, pk)
    part = get_object_or_404(Section.objects.filter(template=template), pk=section)
    if template.status != TemplateStatus.DRAFT:
        return _refuse_published(request, template)
    initial = {"title": part.title, "weight": part.weight, "order": part.order, "revision": part.revision}
    form = SectionForm(request.POST or None, initial=initial)

    def save(data: dict[str, Any]) -> Section:
        return services.update_section(actor=request.user, section=part, data=data, expected_revision=data["revision"])

    if submit(request, form, save):
        messages.success(request, _("Section %(code)s saved.") % {"code": part.code})
        return redirect(_edit_url(template, f"section-{part.pk}"))
    return _form_page(request, template, form, _("Edit section %(code)s") % {"code": part.code})


@login_required
def item_edit(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    template = _template(request, pk)
    row = get_object_or_404(Item.objects.filter(template=template), pk=item)
    if template.status != TemplateStatus.DRAFT:
        return _refuse_published(request, template)
    form = ItemForm(request.POST or None, initial=_item_initial(row), answer_type=row.answer_type)

    def save(data: dict[str, Any]) -> Item:
        return services.update_item(actor=request.user, item=row, data=data, expected_revision=data["revision"])

    if submit(request, form, save):
        messages.success(request, _("Item %(code)s saved.") % {"code": row.code})
        return redirect(_edit_url(template, f"item-{row.pk}"))
    title = _("Edit item %(code)s (%(type)s)") % {"code": row.code, "type": row.get_answer_type_display()}
    return _form_page(request, template, form, title)


@login_required
def item_add(request: HttpRequest, pk: int) -> HttpResponse:
    template = _template(request, pk)
    if template.status != TemplateStatus.DRAFT:
        return _refuse_published(request, template)
    initial = {"section": request.GET.get("bagian"), "weight": 1, "direction": "higher"}
    form = AddItemForm(request.POST or None, initial=initial, template=template)

    def save(data: dict[str, Any]) -> Item:
        return services.add_item(actor=request.user, template=template, section=data["section"], data=data)

    added = submit(request, form, save)
    if added:
        messages.success(request, _("Item %(code)s added.") % {"code": added.code})
        return redirect(_edit_url(template, f"item-{added.pk}"))
    return _form_page(request, template, form, _("Add an item"), _("Add the item"))


@login_required
@require_POST
def item_remove(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    template = _template(request, pk)
    row = get_object_or_404(Item.objects.filter(template=template).select_related("section"), pk=item)
    if template.status != TemplateStatus.DRAFT:
        return _refuse_published(request, template)
    asked = ask_first(
        request,
        what=_("item %(code)s") % {"code": row.code},
        cancel_url=_edit_url(template, f"section-{row.section_id}"),
    )
    if asked is not None:
        return asked
    revision = request.POST.get("revision", "")
    try:
        # No revision (or not a number) is 0, which no row has: refused like a stale one.
        services.remove_item(actor=request.user, item=row, expected_revision=int(revision) if revision.isdigit() else 0)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except EditConflict as conflict:
        messages.error(request, str(conflict))
    else:
        messages.success(request, _("Item %(code)s removed.") % {"code": row.code})
    return redirect(_edit_url(template, f"section-{row.section_id}"))
