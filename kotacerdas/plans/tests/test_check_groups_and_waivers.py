"""The plan check as a mentor reads it: grouped findings on the page and in the command, and
waivers of findings (recorded with a reason, by whom and when) over HTTP, the service and the CLI."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from kotacerdas.audit.models import AuditEntry
from kotacerdas.lib.concurrency import EditConflict
from kotacerdas.lib.confirm import YES
from kotacerdas.plans import selectors
from kotacerdas.plans.models import FindingWaiver
from kotacerdas.plans.services.waivers import waive_findings, withdraw_waiver
from kotacerdas.plans.tests.factories import make_programme

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

A = "13.72"
Y = 2024


@pytest.fixture
def unmeasured(cast, plan):
    """Eleven more programmes without an indicator: twelve with ENV-01, one group of PC011."""
    for k in range(2, 13):
        make_programme(plan.edition, f"GOV-{k:02d}", lead_opd=cast.opd_a)
    return plan


def check_url(name: str = "check", *args: object) -> str:
    return reverse(f"plans:{name}", args=[A, Y, *args])


def waiver_url(rule: str, subject: str) -> str:
    return f"{check_url('waiver')}?rule={rule}&subject={subject}"


# Grouped findings -----------------------------------------------------------------------------


def test_the_check_page_groups_findings_of_one_rule_and_truncates_the_list(cast, unmeasured):
    html = cast.client(cast.viewer).get(check_url()).content.decode()
    assert "12 programmes have no indicator: ENV-01, GOV-02, GOV-03" in html
    assert "and 4 more" in html
    # The full list is one click away, without JavaScript.
    details = html[html.index("12 programmes have no indicator") :]
    details = details[: details.index("</details>")]
    assert "<details>" in details and "Programme GOV-12 has no indicator." in details
    # Severity first: the errors' groups come before any warning's.
    assert html.index("have no indicator") < html.index("PC018")


def test_the_check_page_hides_region_a_from_the_outsider(cast, unmeasured):
    assert cast.client(cast.outsider).get(check_url()).status_code == 404
    assert cast.client(cast.outsider).get(waiver_url("PC011", "ENV-01")).status_code == 404


def test_the_json_of_the_page_keeps_every_finding_and_adds_the_groups(cast, unmeasured):
    data = cast.client(cast.mentor).get(check_url(), {"format": "json"}).json()
    (group,) = [g for g in data["groups"] if g["rule"] == "PC011"]
    assert group["count"] == 12 and len(group["codes"]) == 12
    assert {data["findings"][n]["programme"] for n in group["findings"]} == set(group["codes"])


def run_plan(*args: str) -> tuple[str, CommandError | None]:
    out = StringIO()
    try:
        call_command("plan", *args, stdout=out, stderr=StringIO())
    except CommandError as error:
        return out.getvalue(), error
    return out.getvalue(), None


def test_the_command_prints_one_line_per_group_and_json_with_every_finding(cast, unmeasured):
    out, error = run_plan("check", A, "--edition", str(Y))
    assert error is not None and error.returncode == 1
    lines = [line for line in out.splitlines() if "PC011" in line]
    assert len(lines) == 1 and "12 programmes have no indicator" in lines[0] and "and 4 more" in lines[0]
    listed, _error = run_plan("check", A, "--edition", str(Y), "--all")
    assert "GOV-12" in listed
    data = json.loads(run_plan("check", A, "--edition", str(Y), "--json")[0])
    assert len([f for f in data["findings"] if f["rule"] == "PC011"]) == 12
    assert [g["count"] for g in data["groups"] if g["rule"] == "PC011"] == [12]


# Waivers over HTTP ----------------------------------------------------------------------------


def test_a_mentor_waives_a_finding_with_a_reason_and_it_is_listed_apart(cast, unmeasured):
    client = cast.client(cast.mentor)
    assert client.get(waiver_url("PC011", "ENV-01")).status_code == 200
    response = client.post(waiver_url("PC011", "ENV-01"), {"reason": "Indikator ada di Renstra DLH"})
    assert response.status_code == 302
    waiver = FindingWaiver.objects.get(edition=unmeasured.edition)
    assert (waiver.rule, waiver.subject, waiver.waived_by) == ("PC011", "ENV-01", cast.mentor)
    assert AuditEntry.objects.filter(object_type="plans.FindingWaiver", action="create").exists()
    html = client.get(check_url()).content.decode()
    assert "11 programmes have no indicator" in html
    assert "waived: Indikator ada di Renstra DLH, by" in html
    data = client.get(check_url(), {"format": "json"}).json()
    assert [f["programme"] for f in data["waived"]] == ["ENV-01"]
    assert data["waived"][0]["waiver"]["reason"] == "Indikator ada di Renstra DLH"


def test_a_waiver_without_a_reason_is_refused_with_the_form_kept(cast, unmeasured):
    response = cast.client(cast.editor).post(waiver_url("PC011", "ENV-01"), {"reason": "   "})
    assert response.status_code == 200 and "error-summary" in response.content.decode()
    assert not FindingWaiver.objects.exists()


def test_viewers_may_not_waive_and_unknown_rules_are_not_found(cast, unmeasured):
    assert cast.client(cast.viewer).get(waiver_url("PC011", "ENV-01")).status_code == 403
    assert cast.client(cast.viewer).post(waiver_url("PC011", "ENV-01"), {"reason": "x"}).status_code == 403
    assert cast.client(cast.editor).get(waiver_url("PC999", "ENV-01")).status_code == 404
    assert not FindingWaiver.objects.exists()


def test_changing_and_withdrawing_a_waiver_need_the_version_seen(cast, unmeasured):
    client = cast.client(cast.editor)
    client.post(waiver_url("PC011", "ENV-01"), {"reason": "first"})
    waiver = FindingWaiver.objects.get()
    stale = client.post(waiver_url("PC011", "ENV-01"), {"reason": "second", "version": waiver.version + 1})
    assert stale.status_code == 409 and "second" in stale.content.decode()
    client.post(waiver_url("PC011", "ENV-01"), {"reason": "second", "version": waiver.version})
    waiver.refresh_from_db()
    assert waiver.reason == "second" and waiver.version == 2
    withdraw = check_url("waiver_withdraw", waiver.pk)
    assert cast.client(cast.outsider).post(withdraw, {"version": 2, **YES}).status_code == 404
    assert client.post(withdraw, {"version": 1, **YES}).status_code == 409
    assert client.post(withdraw, {"version": 2, **YES}).status_code == 302
    assert not FindingWaiver.objects.exists()
    assert "12 programmes have no indicator" in client.get(check_url()).content.decode()


def test_the_waiver_pages_keep_the_plan_pages_query_counts(cast, unmeasured, django_assert_num_queries):
    waive_findings(actor=None, edition=unmeasured.edition, rule="PC011", subject="ENV-01", reason="Renstra")
    selectors.plan_data(unmeasured.edition)  # computed once, stored
    client = cast.client(cast.viewer)
    client.get(check_url())
    with django_assert_num_queries(6):  # test_query_counts.READ_QUERIES["check"]: the waivers are in the summary
        client.get(check_url())


# The service ----------------------------------------------------------------------------------


def test_the_service_asks_the_access_layer_and_validates(cast, plan):
    with pytest.raises(PermissionDenied):
        waive_findings(actor=cast.viewer, edition=plan.edition, rule="PC011", subject="ENV-01", reason="x")
    with pytest.raises(PermissionDenied):
        waive_findings(actor=cast.outsider, edition=plan.edition, rule="PC011", subject="ENV-01", reason="x")
    with pytest.raises(ValidationError) as caught:
        waive_findings(actor=cast.editor, edition=plan.edition, rule="PC999", subject="", reason="")
    assert set(caught.value.message_dict) == {"rule", "reason"}
    waiver = waive_findings(actor=cast.editor, edition=plan.edition, rule="pc011", subject="ENV-01", reason="ok")
    assert waiver.rule == "PC011" and waiver.waived_by_name
    with pytest.raises(EditConflict):  # the second record of the same waiver must say which version it changes
        waive_findings(actor=cast.editor, edition=plan.edition, rule="PC011", subject="ENV-01", reason="again")
    withdraw_waiver(actor=cast.mentor, waiver=waiver, expected_version=1)
    assert AuditEntry.objects.filter(object_type="plans.FindingWaiver", action="delete").exists()


def test_a_waived_error_needs_no_acknowledgement_at_an_approval_step(cast, plan):
    from kotacerdas.plans.services.editions import plan_check_errors

    assert any(line.startswith("PC011 ENV-01") for line in plan_check_errors(plan.edition))
    waive_findings(actor=None, edition=plan.edition, rule="PC011", subject="ENV-01", reason="Renstra")
    assert not any(line.startswith("PC011 ENV-01") for line in plan_check_errors(plan.edition))


def test_the_command_lists_waived_findings_apart(cast, plan):
    waive_findings(actor=None, edition=plan.edition, rule="PC011", subject="ENV-01", reason="Renstra DLH")
    out, _error = run_plan("check", A, "--edition", str(Y))
    assert "Renstra DLH; system" in out and "1 waived." in out


def test_the_command_records_changes_and_withdraws_a_waiver(cast, plan):
    out, error = run_plan(
        "waive", A, "--edition", str(Y), "--rule", "pc011", "--subject", "ENV-01", "--reason", "Renstra"
    )
    assert error is None and "Waived: PC011 ENV-01" in out
    out, error = run_plan(
        "waive", A, "--edition", str(Y), "--rule", "PC011", "--subject", "ENV-01", "--reason", "Renstra DLH", "--json"
    )
    assert json.loads(out)["version"] == 2
    assert FindingWaiver.objects.get().waived_by_name == "system"
    _out, error = run_plan("waive", A, "--edition", str(Y), "--rule", "PC999", "--reason", "")
    assert error is not None and error.returncode == 2 and "rule" in str(error) and "reason" in str(error)
    _out, error = run_plan("waive", A, "--edition", str(Y), "--rule", "PC011", "--subject", "GOV-01", "--withdraw")
    assert error is not None and error.returncode == 2
    out, error = run_plan("waive", A, "--edition", str(Y), "--rule", "PC011", "--subject", "ENV-01", "--withdraw")
    assert error is None and not FindingWaiver.objects.exists()
