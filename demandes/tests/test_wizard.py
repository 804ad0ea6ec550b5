"""The demande's steps on formtools' wizard: a 29 February, a session left over midnight, the recap in
words, the error summary, and 'Précédent' keeping what was typed."""

import datetime
import re
import zoneinfo

import pytest

from demandes.models import Demande, Enfant
from demandes.tests.test_demande import STEPS, go_through
from demandes.views import PLUS_VALABLE
from monenfant.tests.horloge import JOUR_DES_TESTS

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("commits"), pytest.mark.time_machine(JOUR_DES_TESTS)]
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
RECAP = "/demande-information/etape/recapitulatif/"


def _steps_as_of(day: datetime.date, **changes) -> dict:
    """Valid answers on `day`: born a year before, a place wanted a month after."""
    steps = {name: dict(data) for name, data in STEPS.items()}
    steps["enfants"]["enfants-0-date_naissance"] = (day - datetime.timedelta(days=365)).isoformat()
    steps["besoin"]["a_partir_du"] = (day + datetime.timedelta(days=30)).isoformat()
    for name, values in changes.items():
        steps[name].update(values)
    return steps


def _go_through(client, steps: dict):
    for name, data in steps.items():
        response = client.post(f"/demande-information/etape/{name}/", data)
        assert response.status_code == 302, (name, response.content.decode()[-2000:])


def test_on_a_29_february_every_step_answers_and_the_demande_is_sent(client, velay, time_machine):
    time_machine.move_to(datetime.datetime(2028, 2, 29, 10, 0, tzinfo=PARIS), tick=False)
    steps = _steps_as_of(datetime.date(2028, 2, 29), enfants={"enfants-1-date_prevue": "2028-02-29"})
    for name, data in steps.items():
        url = f"/demande-information/etape/{name}/"
        assert client.get(url).status_code == 200, name
        assert client.post(url, data).status_code == 302, name
    # A child born on a 29 February six years before is still under six (the 28th is the limit).
    born_2022 = client.post("/demande-information/etape/enfants/",
                            {**steps["enfants"], "enfants-0-date_naissance": "2022-02-28"})
    assert born_2022.status_code == 302
    recap = client.get(RECAP)
    assert recap.status_code == 200
    assert "naissance prévue le 29 février 2028" in recap.content.decode()
    response = client.post(RECAP, {"consentement": "on"})
    demande = Demande.objects.get()
    assert response["Location"] == f"/demande-information/confirmation/{demande.reference}/"
    assert demande.enfants.count() == 2


@pytest.mark.parametrize(("step", "answer", "error"), [
    ("besoin", {"a_partir_du": "2028-03-14"}, "Choisissez une date à venir."),
    ("enfants", {"enfants-0-date_naissance": "", "enfants-0-date_prevue": "2028-03-14"}, "La date prévue est dans les 10 prochains mois."),
])
def test_answers_of_yesterday_send_the_family_back_to_the_step_and_save_nothing(client, velay, time_machine, step, answer, error):
    time_machine.move_to(datetime.datetime(2028, 3, 14, 23, 59, tzinfo=PARIS), tick=False)
    _go_through(client, _steps_as_of(datetime.date(2028, 3, 14), **{step: answer}))
    assert client.get(RECAP).status_code == 200
    time_machine.move_to(datetime.datetime(2028, 3, 15, 0, 1, tzinfo=PARIS), tick=False)

    response = client.post(RECAP, {"consentement": "on"})
    assert response.status_code == 302 and response["Location"] == f"/demande-information/etape/{step}/"
    assert Demande.objects.count() == 0 and Enfant.objects.count() == 0
    page = client.get(response["Location"]).content.decode()
    assert PLUS_VALABLE.replace("'", "&#x27;") in page and error in page
    assert client.get(RECAP)["Location"] == f"/demande-information/etape/{step}/", "the recap shows no stale answer"

    # Corrected, the demande goes.
    _go_through(client, {step: _steps_as_of(datetime.date(2028, 3, 15))[step]})
    assert client.post(RECAP, {"consentement": "on"}).status_code == 302
    assert Demande.objects.get().enfants.count() == 1


def test_the_recap_shows_words_not_codes(client, velay):
    go_through(client, besoin={"besoin": "garde_domicile"}, vous={"qualite": "futur_parent"})
    recap = client.get(RECAP).content.decode()
    dl = recap[recap.index('<dl class="mf-recap">'):recap.index("</dl>")]
    assert "Une garde à domicile à partir du" in dl and "Futur parent, en recherche d&#x27;emploi" in dl
    assert "par téléphone, le midi" in dl
    for code in ("garde_domicile", "futur_parent", "telephone"):
        assert code not in dl


def test_a_failed_step_leads_to_an_error_summary_linked_to_its_fields(client, velay):
    ok = client.get("/demande-information/etape/commune/").content.decode()
    assert "<title>Demande d'information" in ok and 'id="resume-erreurs"' not in ok
    assert re.search(r'<input[^>]*id="commune"[^>]*required', ok) and "aria-invalid" not in ok

    failed = client.post("/demande-information/etape/commune/", {"commune": "Atlantide", "code_insee": ""})
    html = failed.content.decode()
    assert failed.status_code == 400
    assert "<title>Erreur — Demande d'information — Votre commune" in html
    summary = re.search(r'<div[^>]*id="resume-erreurs"[^>]*>.*?</div>', html, re.S).group(0)
    assert 'tabindex="-1"' in summary and "autofocus" in summary
    assert '<a href="#commune">Votre commune : Commune introuvable' in summary
    field = re.search(r'<input[^>]*id="commune"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in field and 'aria-describedby="commune-erreur commune-aide"' in field
    assert re.search(r'id="commune-erreur"><p class="fr-error-text">Commune introuvable', html)

    client.post("/demande-information/etape/commune/", STEPS["commune"])
    vous = client.post("/demande-information/etape/vous/", {}).content.decode()
    for name in ("qualite", "allocataire", "situation"):
        assert f'href="#id_{name}_0"' in vous and f'id="id_{name}_0"' in vous
    assert vous.count("(obligatoire)") >= 3, "mandatory fields are marked"
    client.post("/demande-information/etape/vous/", STEPS["vous"])
    enfants = client.post("/demande-information/etape/enfants/", {**STEPS["enfants"], "enfants-0-date_naissance": ""})
    assert '<a href="#id_enfants-0-date_naissance">Indiquez au moins un enfant' in enfants.content.decode()
    go_through(client, until="message")
    message = client.post("/demande-information/etape/message/", {"message": "x" * 2001})
    assert message.status_code == 400 and '<a href="#id_message">Votre message (facultatif) : ' in message.content.decode()


def test_previous_keeps_what_was_typed_even_over_an_earlier_answer(client, velay):
    go_through(client, until="message")
    client.post("/demande-information/etape/contact/", {**STEPS["contact"], "prenom": "Inès", "email": "pas-une-adresse",
                                                         "precedent": "1"})
    page = client.get("/demande-information/etape/contact/").content.decode()
    assert 'value="Inès"' in page and 'value="pas-une-adresse"' in page
    # Once valid, the new answer replaces the earlier one.
    client.post("/demande-information/etape/contact/", {**STEPS["contact"], "prenom": "Inès"})
    client.post("/demande-information/etape/message/", STEPS["message"])
    assert "Inès Martin" in client.get(RECAP).content.decode()


def test_the_steps_keep_their_addresses_and_their_order(client, velay):
    assert client.get("/demande-information/").status_code == 200
    assert client.get("/demande-information/etape/envoi/").status_code == 404
    assert client.get("/demande-information/etape/inconnue/").status_code == 404
    assert client.get(RECAP)["Location"] == "/demande-information/etape/commune/"
    assert client.post("/demande-information/", STEPS["commune"])["Location"] == "/demande-information/etape/vous/"
