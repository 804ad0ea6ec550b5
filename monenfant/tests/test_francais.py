"""French as people write it: "1er décembre", "0 fiche", field labels with their accents, back-office
lists titled by what they list."""

import datetime
import html as htmllib
import re
import zoneinfo

import pytest
from django.apps import apps
from django.contrib import admin
from django.template import Context, Template
from django.urls import reverse

from habilitations.enums import Role
from habilitations.tests.factories import make_person
from monenfant.francais import date_longue, pluriel
from monenfant.tests.horloge import JOUR_DES_TESTS

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


@pytest.mark.parametrize(("value", "expected"), [
    (datetime.date(2026, 12, 1), "1er décembre 2026"),
    (datetime.date(2027, 2, 2), "2 février 2027"),
    (datetime.date(2027, 8, 31), "31 août 2027"),
])
def test_a_date_is_written_as_people_write_it(value, expected):
    assert date_longue(value) == expected


def test_a_time_is_the_local_time_written_in_french():
    # 08:05 UTC on 1 December is 9 h 05 in Paris.
    moment = datetime.datetime(2026, 12, 1, 8, 5, tzinfo=datetime.UTC)
    assert date_longue(moment, heure=True) == "1er décembre 2026 à 9 h 05"
    rendered = Template("{{ d|date_heure }} / {{ d|date_longue }}").render(Context({"d": moment}))
    assert rendered == "1er décembre 2026 à 9 h 05 / 1er décembre 2026"


@pytest.mark.parametrize(("count", "word"), [(0, "fiche"), (1, "fiche"), (1.5, "fiche"), (2, "fiches"),
                                              ([], "fiche"), (["a", "b"], "fiches")])
def test_zero_and_one_are_singular(count, word):
    assert Template("fiche{{ n|pluriel }}").render(Context({"n": count})) == word


def test_a_verb_agrees_with_its_subjects():
    assert pluriel(["a"], ",ent") == "" and pluriel(["a", "b"], ",ent") == "ent"


# Words that French writes with an accent, as Django would print them from a field's name.
SANS_ACCENT = re.compile(r"\b(departement|cree|creee|modifie|modifiee|ajoute|ajoutee|envoye|envoyee|numero|derniere|"
                         r"traite|traitee|telephone|periode|etape|reference|normalise|caf|linf|user|lon|lat)\b(?!\.)")


def test_every_field_label_is_french_with_its_accents():
    wrong = []
    for model in apps.get_models():
        if model._meta.app_label not in {"structures", "simulateur", "habilitations", "linf", "demandes", "guide"}:
            continue
        for field in model._meta.get_fields():
            label = str(getattr(field, "verbose_name", ""))
            if not field.auto_created and not field.name.startswith("history_") and SANS_ACCENT.search(label):
                wrong.append(f"{model._meta.label}.{field.name} : « {label} »")
    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
@pytest.mark.time_machine(JOUR_DES_TESTS)
def test_every_back_office_list_is_titled_by_what_it_lists(client):
    client.force_login(make_person(Role.CNAF_ADMIN, email="cnaf@example.fr"))
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        page = client.get(url)
        if page.status_code != 200 or "cl" not in (page.context or {}):
            continue  # a page of its own (usage, besoins et offre), titled by its template
        html = page.content.decode()
        expected = str(model._meta.verbose_name_plural)
        h1 = htmllib.unescape(re.search(r"<h1>(.*?)</h1>", html, re.S).group(1))
        title = htmllib.unescape(re.search(r"<title>(.*?)</title>", html, re.S).group(1))
        assert h1.lower() == expected.lower(), url
        assert title.lower().startswith(expected.lower()), url
        assert "Sélectionnez" not in h1 + title, url


@pytest.mark.django_db
@pytest.mark.time_machine(JOUR_DES_TESTS)
def test_counts_in_back_office_lists_are_french(client):
    client.force_login(make_person(Role.CNAF_ADMIN, email="cnaf@example.fr"))
    html = client.get(reverse("admin:structures_organisme_changelist")).content.decode()
    assert re.search(r"\b0 organisme gestionnaire\b", html)
    # The connection control lists people, under its own title.
    make_person(Role.CAF_AGENT, caf_code="43", email="agent@caf43.example.fr")
    html = client.get(reverse("admin:habilitations_controleconnexions_changelist")).content.decode()
    assert "<h1>Contrôle des connexions</h1>" in html
    assert not re.search(r"\d+ contrôle des connexions", html)
    assert re.search(r"\b\d+ personnes? habilitées?\b", html)


@pytest.mark.django_db
@pytest.mark.time_machine(JOUR_DES_TESTS)
def test_the_structure_form_numbers_each_part_once(client):
    client.force_login(make_person(Role.CNAF_ADMIN, email="cnaf@example.fr"))
    html = client.get(reverse("admin:structures_structure_add")).content.decode()
    numbers = [int(n) for n in re.findall(r"<h2[^>]*>\s*(\d+)\. ", html)]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) >= 6, numbers
