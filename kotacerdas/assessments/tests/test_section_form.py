"""A section is answered in one form: one Save keeps every changed answer, or none and names why.

Also: what the form marks as optional is really optional, and answers read as their labels.
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import reverse

from kotacerdas.assessments.models import Answer
from kotacerdas.assessments.selectors import region_slot
from kotacerdas.assessments.services import runs as services
from kotacerdas.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

A = "13.72"
LINK = "https://example.org/bukti.pdf"


def section_url(run, code):
    return reverse("assessments:section", args=[A, run.pk, code])


def test_three_answers_posted_in_one_submission_are_all_stored_and_audited(cast, readiness):
    response = cast.client(cast.editor).post(
        section_url(readiness, "NAT"), {"NAT-1-choice": "B", "NAT-2-choice": "S", "NAT-3-choice": "K"}
    )
    assert response.status_code == 302 and response["Location"] == section_url(readiness, "NAT")
    stored = {a.item.code: a.choice for a in Answer.objects.filter(run=readiness).select_related("item")}
    assert stored == {"NAT-1": "B", "NAT-2": "S", "NAT-3": "K"}
    audited = AuditEntry.objects.filter(object_type="assessments.Answer", action="create")
    assert audited.count() == 3 and {e.after["choice"] for e in audited} == {"B", "S", "K"}


def test_untouched_items_are_left_alone_and_a_changed_one_is_saved(cast, readiness):
    client = cast.client(cast.editor)
    client.post(section_url(readiness, "NAT"), {"NAT-1-choice": "B", "NAT-2-choice": "S"})
    first = Answer.objects.get(item__code="NAT-1")
    # The page as the browser posts it back: every item, with only NAT-2 changed.
    data = {"NAT-1-choice": "B", "NAT-1-version": first.version, "NAT-2-choice": "K"}
    data["NAT-2-version"] = Answer.objects.get(item__code="NAT-2").version
    assert client.post(section_url(readiness, "NAT"), data).status_code == 302
    first.refresh_from_db()
    assert first.version == 1 and Answer.objects.get(item__code="NAT-2").choice == "K"
    assert not Answer.objects.filter(item__code="NAT-3").exists()


def test_one_refused_answer_keeps_the_whole_section_unsaved_and_names_the_item(cast, maturity):
    data = {"GOV-1.1-value": "3", "GOV-1.1-evidence_link": LINK, "GOV-2.1-value": "4"}  # GOV-2.1 lacks evidence
    response = cast.client(cast.editor).post(section_url(maturity, "GOV"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "error-summary" in page and "GOV-2.1" in page and "needs evidence" in page
    assert 'value="https://example.org/bukti.pdf"' in page  # the input is kept
    assert not Answer.objects.exists() and not AuditEntry.objects.filter(object_type="assessments.Answer").exists()


def test_an_answer_out_of_scale_is_refused_by_the_service_and_nothing_is_kept(cast, readiness):
    data = {"NAT-1-choice": "B", "NAT-2-choice": "X"}
    response = cast.client(cast.editor).post(section_url(readiness, "NAT"), data)
    assert response.status_code == 200 and b"NAT-2" in response.content
    assert not Answer.objects.exists()


def test_each_answer_is_checked_against_its_own_version(cast, readiness):
    slot = region_slot(readiness)
    nat1 = services.save_answer(
        actor=cast.owner, run=readiness, assessor=slot, item=slot.run.template.items.get(code="NAT-1"),
        data={"choice": "B"}, expected_version=None,
    )  # fmt: skip
    stale = nat1.version
    services.save_answer(actor=cast.owner, run=readiness, assessor=slot, item=nat1.item, data={"choice": "S"},
                          expected_version=nat1.version)  # fmt: skip
    data = {"NAT-1-choice": "K", "NAT-1-version": stale, "NAT-2-choice": "B"}
    response = cast.client(cast.editor).post(section_url(readiness, "NAT"), data)
    assert response.status_code == 409 and b"Someone else saved" in response.content
    nat1.refresh_from_db()
    assert nat1.choice == "S" and not Answer.objects.filter(item__code="NAT-2").exists()


def test_only_those_who_answer_may_post_a_section(cast, readiness):
    data = {"NAT-1-choice": "B"}
    assert cast.client(cast.viewer).post(section_url(readiness, "NAT"), data).status_code == 403
    assert cast.client(cast.mentor).post(section_url(readiness, "NAT"), data).status_code == 403  # not an assessor
    assert cast.client(cast.outsider).post(section_url(readiness, "NAT"), data).status_code == 404
    assert not Answer.objects.exists()


def _label(page: str, field_id: str) -> str:
    match = re.search(rf'<label for="{re.escape(field_id)}">(.*?)</label>', page, re.S)
    assert match, field_id
    return match.group(1)


def test_the_rating_and_the_evidence_an_item_needs_are_not_called_optional(cast, readiness, maturity):
    page = cast.client(cast.editor).get(section_url(readiness, "STR")).content.decode()
    assert "optional" not in _label(page, "id_STR-1-choice")  # the rating is required
    assert "a file or a link is required" in _label(page, "id_STR-1-evidence_link")  # STR-1 needs evidence
    assert "a file or a link is required" not in _label(page, "id_STR-2-evidence_link")
    assert "optional" in _label(page, "id_STR-2-comment")
    # Required means required: a comment without a rating is refused.
    response = cast.client(cast.editor).post(section_url(readiness, "STR"), {"STR-2-comment": "catatan"})
    assert response.status_code == 200 and b"This field is required" in response.content
    assert not Answer.objects.exists()


def test_an_answer_reads_as_its_option_label_in_indonesian(cast, readiness):
    client = cast.client(cast.editor)
    client.post(section_url(readiness, "NAT"), {"NAT-1-choice": "B", "NAT-2-choice": "S", "NAT-3-choice": "K"})
    viewer = cast.client(cast.viewer)
    viewer.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    page = viewer.get(section_url(readiness, "NAT")).content.decode()
    assert "Jawaban: Baik" in page and "Jawaban: Sedang" in page and "Jawaban: Kurang" in page
    assert not re.search(r"Jawaban:\s*[BSK]\s*<", page)
    mentor = cast.client(cast.mentor)
    mentor.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    review = mentor.get(reverse("assessments:review", args=[A, readiness.pk])).content.decode()
    assert "<strong>Baik" in review and not re.search(r"<strong>\s*[BSK]\s*</strong>", review)


def test_the_history_of_an_item_reads_in_words_not_stored_codes(cast, readiness):
    cast.client(cast.editor).post(section_url(readiness, "NAT"), {"NAT-1-choice": "B"})
    viewer = cast.client(cast.viewer)
    viewer.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    page = viewer.get(reverse("assessments:history", args=[A, readiness.pk, "NAT-1"])).content.decode()
    assert "jawaban: Baik" in page
    assert "{&#x27;" not in page and "&#x27;choice&#x27;" not in page and "not_applicable" not in page
    assert (
        cast.client(cast.outsider).get(reverse("assessments:history", args=[A, readiness.pk, "NAT-1"])).status_code
        == 404
    )
