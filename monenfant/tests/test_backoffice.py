"""/administration/: each CAF sees and changes its own territory only; the CNAF sees the country."""

import datetime

import pytest
from django.urls import reverse

from habilitations.enums import Role
from habilitations.models import Affectation, User
from habilitations.tests.factories import PASSWORD, make_person
from linf.models import ContratCafCnaf
from monenfant.tests.horloge import JOUR_DES_TESTS
from structures.enums import Rubrique
from structures.models import Organisme, Structure
from structures.tests.factories import CommuneFactory, OrganismeFactory, StructureFactory

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(JOUR_DES_TESTS)]

PAU = ("64445", "Pau", "64000", 77000, -0.350337918181, 43.3200189773)


@pytest.fixture
def territoires():
    from structures.tests import factories

    factories.COMMUNES.setdefault("64445", PAU[1:])
    le_puy, pau = CommuneFactory(code_insee="43157"), CommuneFactory(code_insee="64445")
    org43, org64 = OrganismeFactory(nom="Agglo du Puy", commune=le_puy), OrganismeFactory(nom="Agglo de Pau", commune=pau)
    s43 = StructureFactory(nom="Crèche du Puy", commune=le_puy, organisme=org43, creche=True)
    s64 = StructureFactory(nom="Crèche de Pau", commune=pau, organisme=org64, creche=True)
    return {
        "43": {"commune": le_puy, "organisme": org43, "structure": s43},
        "64": {"commune": pau, "organisme": org64, "structure": s64},
    }


@pytest.fixture
def agent43(client, territoires):
    agent = make_person(Role.CAF_AGENT, caf_code="43", email="agent43@caf43.example.fr")
    client.force_login(agent)
    return agent


def objects_of(territoires, code):
    t = territoires[code]
    gestionnaire = make_person(Role.GESTIONNAIRE, structure=t["structure"], email=f"gestion{code}@example.fr")
    contrat = ContratCafCnaf.objects.create(departement_id=code, signe_le="2026-01-05", actif=True)
    return {
        "structure": t["structure"], "organisme": t["organisme"], "user": gestionnaire,
        "contratcafcnaf": contrat, "caf": t["structure"].commune.departement.caf, "commune": t["commune"],
    }


@pytest.mark.parametrize("model", ["structure", "organisme", "user", "contratcafcnaf", "caf", "commune"])
def test_an_agent_of_caf_43_never_sees_anything_of_64(client, territoires, agent43, model):
    mine, theirs = objects_of(territoires, "43")[model], objects_of(territoires, "64")[model]
    app = type(theirs)._meta.app_label
    name = type(theirs)._meta.model_name
    listing = client.get(reverse(f"admin:{app}_{name}_changelist"))
    assert listing.status_code == 200
    assert str(mine.pk) in listing.content.decode() or str(mine) in listing.content.decode()
    for url in (
        reverse(f"admin:{app}_{name}_change", args=[theirs.pk]),
        reverse(f"admin:{app}_{name}_history", args=[theirs.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse(f"admin:{app}_{name}_change", args=[theirs.pk]), {"nom": "piraté"}).status_code == 404
    assert client.get(reverse(f"admin:{app}_{name}_change", args=[mine.pk])).status_code == 200


def test_lists_are_scoped(client, territoires, agent43):
    html = client.get(reverse("admin:structures_structure_changelist")).content.decode()
    assert "Crèche du Puy" in html and "Crèche de Pau" not in html
    html = client.get(reverse("admin:structures_organisme_changelist")).content.decode()
    assert "Agglo du Puy" in html and "Agglo de Pau" not in html


def test_commune_autocomplete_of_the_fiche_form_stays_in_the_territory(client, territoires, agent43):
    def names(term):
        response = client.get("/administration/autocomplete/", {
            "term": term, "app_label": "structures", "model_name": "structure", "field_name": "commune",
        })
        assert response.status_code == 200
        return [r["text"] for r in response.json()["results"]]

    assert names("le puy") == ["Le Puy-en-Velay (43000)"]
    assert names("pau") == []


def test_the_cnaf_sees_the_country(client, territoires):
    client.force_login(make_person(Role.CNAF_ADMIN))
    html = client.get(reverse("admin:structures_structure_changelist")).content.decode()
    assert "Crèche du Puy" in html and "Crèche de Pau" in html


@pytest.mark.parametrize("role", [Role.GESTIONNAIRE, Role.ASSMAT])
def test_structure_people_do_not_enter_the_back_office(client, territoires, role):
    structure = territoires["43"]["structure"]
    if role == Role.ASSMAT:
        structure = StructureFactory(commune=territoires["43"]["commune"])
    client.force_login(make_person(role, structure=structure))
    response = client.get(reverse("admin:structures_structure_changelist"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def structure_post(commune_code, **overrides):
    data = {
        "rubrique": "LINF", "type_accueil": "", "nom": "Point info familles du Velay", "organisme": "",
        "telephone": "04 71 00 00 00", "email": "pif@example.fr", "site_web": "",
        "adresse": "1 place du Breuil", "complement_adresse": "", "code_postal": "43000", "commune": commune_code,
        "latitude": "", "longitude": "", "presentation": "Informer les familles.", "age_min_mois": "",
        "age_max_mois": "", "capacite": "", "places_disponibles": "", "fermee_le": "",
        "communes_desservies": [commune_code],
        "horaires-TOTAL_FORMS": "1", "horaires-INITIAL_FORMS": "0", "horaires-MIN_NUM_FORMS": "0",
        "horaires-MAX_NUM_FORMS": "1000", "horaires-0-jour": "1", "horaires-0-ouverture": "09:00",
        "horaires-0-fermeture": "12:00",
    }
    data.update(overrides)
    return data


def test_an_agent_creates_a_linf_fiche_in_five_parts_and_finds_it_under_linf(client, territoires, agent43, fake_ban):
    fake_ban.add("1 place du Breuil", lon=3.8853, lat=45.0434, citycode="43157")
    response = client.post(reverse("admin:structures_structure_add"), structure_post("43157"))
    assert response.status_code == 302, response.content.decode()[-3000:]
    fiche = Structure.objects.get(nom="Point info familles du Velay")
    assert fiche.rubrique == Rubrique.LINF
    assert (round(fiche.point.x, 4), round(fiche.point.y, 4)) == (3.8853, 45.0434)  # geocoded by the BAN
    assert list(fiche.communes_desservies.values_list("code_insee", flat=True)) == ["43157"]
    assert fiche.horaires.count() == 1
    html = client.get(reverse("admin:structures_structure_changelist"), {"rubrique__exact": "LINF"}).content.decode()
    assert "Point info familles du Velay" in html and "Crèche du Puy" not in html
    history = fiche.history.first()
    assert history.history_user == agent43 and history.history_type == "+"


def test_mandatory_fields_and_territory_are_checked(client, territoires, agent43):
    response = client.post(reverse("admin:structures_structure_add"), structure_post("64445", code_postal="64000"))
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()
    response = client.post(reverse("admin:structures_structure_add"), structure_post("43157", nom="", communes_desservies=[]))
    html = response.content.decode()
    assert "Ce champ est obligatoire." in html
    assert "dessert au moins une commune." in html
    assert not Structure.objects.filter(rubrique="LINF").exists()


def test_every_change_is_recorded_with_who_and_what(client, territoires, agent43):
    structure = territoires["43"]["structure"]
    data = structure_post(
        "43157", rubrique="EAJE", type_accueil="collectif", nom=structure.nom, communes_desservies=[],
        places_disponibles="4", latitude=str(structure.point.y), longitude=str(structure.point.x),
        **{"horaires-TOTAL_FORMS": "0"},
    )
    assert client.post(reverse("admin:structures_structure_change", args=[structure.pk]), data).status_code == 302
    last = structure.history.first()
    assert last.history_user == agent43
    assert last.places_disponibles == 4
    delta = last.diff_against(last.prev_record)
    assert "places_disponibles" in delta.changed_fields
    html = client.get(reverse("admin:structures_structure_history", args=[structure.pk])).content.decode()
    assert agent43.email in html


def test_an_agent_may_not_make_agents_but_a_caf_admin_may_for_their_caf_only(client, territoires, agent43):
    def add_person(email, role, caf=None, structure=None):
        return client.post(reverse("admin:habilitations_user_add"), {
            "email": email, "first_name": "Léa", "last_name": "Durand",
            "affectations-TOTAL_FORMS": "1", "affectations-INITIAL_FORMS": "0", "affectations-MIN_NUM_FORMS": "0",
            "affectations-MAX_NUM_FORMS": "1000", "affectations-0-role": role,
            "affectations-0-caf": caf.pk if caf else "", "affectations-0-structure": structure.pk if structure else "",
        })

    caf43 = territoires["43"]["structure"].commune.departement.caf
    caf64 = territoires["64"]["structure"].commune.departement.caf
    assert "gérés par l&#x27;administrateur" in add_person("a@example.fr", Role.CAF_AGENT, caf=caf43).content.decode()
    assert add_person("g@example.fr", Role.GESTIONNAIRE, structure=territoires["43"]["structure"]).status_code == 302
    # Another territory's structure is not among the choices: a crafted id is a form error.
    assert "Sélectionnez un choix valide" in add_person(
        "g64@example.fr", Role.GESTIONNAIRE, structure=territoires["64"]["structure"]
    ).content.decode()

    client.force_login(make_person(Role.CAF_ADMIN, caf_code="43"))
    assert add_person("b@example.fr", Role.CAF_AGENT, caf=caf43).status_code == 302
    assert User.objects.get(email="b@example.fr").is_staff
    assert "Sélectionnez un choix valide" in add_person("c@example.fr", Role.CAF_AGENT, caf=caf64).content.decode()
    assert not User.objects.filter(email__in=["a@example.fr", "g64@example.fr", "c@example.fr"]).exists()
    assert Affectation.objects.filter(user__email="g@example.fr", role=Role.GESTIONNAIRE).exists()


def test_repeated_failures_lock_the_account(client, territoires):
    make_person(Role.CAF_AGENT, caf_code="43", email="agent@caf43.example.fr")
    url = "/pro/connexion/"  # the back office's login is this page
    for _ in range(5):
        client.post(url, {"username": "agent@caf43.example.fr", "password": "mauvais"})
    response = client.post(url, {"username": "agent@caf43.example.fr", "password": PASSWORD})
    assert response.status_code == 429
    assert "verrouillé" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_organisme_without_structure_is_seen_by_the_caf_of_its_seat(client, territoires, agent43):
    seat43 = Organisme.objects.create(nom="Association nouvelle", commune=territoires["43"]["commune"])
    assert client.get(reverse("admin:structures_organisme_change", args=[seat43.pk])).status_code == 200


def test_a_caf_agent_reads_the_bareme_but_cannot_change_it(client):
    from simulateur.models import Bareme

    client.force_login(make_person(Role.CAF_AGENT, caf_code="43"))
    bareme = Bareme.objects.get(dispositif="psu", debut="2026-01-01")
    url = f"/administration/simulateur/bareme/{bareme.pk}/change/"
    assert client.get(url).status_code == 200
    assert client.post(url, {"plancher": "1.00"}).status_code == 403
    assert client.get("/administration/simulateur/bareme/add/").status_code == 403


def test_the_connection_log_of_a_caf_shows_its_own_people_only(client, territoires):
    make_person(Role.CAF_AGENT, caf_code="43", email="agent@caf43.example.fr")
    make_person(Role.CAF_AGENT, caf_code="64", email="agent@caf64.example.fr")
    for email in ("agent@caf43.example.fr", "agent@caf64.example.fr"):
        client.post("/pro/connexion/", {"username": email, "password": "mauvais"})
        client.post("/pro/connexion/", {"username": email, "password": PASSWORD})
        client.logout()
    client.force_login(make_person(Role.CAF_ADMIN, caf_code="43"))
    for url in ("admin:axes_accesslog_changelist", "admin:axes_accessfailurelog_changelist"):
        html = client.get(reverse(url)).content.decode()
        assert "agent@caf43.example.fr" in html and "agent@caf64.example.fr" not in html
    client.force_login(make_person(Role.CAF_AGENT, caf_code="43", email="simple.agent@caf43.example.fr"))
    assert client.get(reverse("admin:axes_accesslog_changelist")).status_code == 403


def test_linf_fiches_show_their_online_guichet_in_words_and_colour(client, territoires, agent43):
    from linf.models import Guichet

    linf = StructureFactory(nom="PIF du Velay", rubrique=Rubrique.LINF, commune=territoires["43"]["commune"])
    html = client.get(reverse("admin:structures_structure_change", args=[linf.pk])).content.decode()
    assert "Non — guichet fermé" in html
    Guichet.objects.create(structure=linf, ouvert=True)
    html = client.get(reverse("admin:structures_structure_changelist"), {"rubrique__exact": "LINF"}).content.decode()
    assert "Oui — guichet ouvert" in html


def test_the_caf_sees_the_avip_solutions_and_places_of_its_own_territory(client, territoires, agent43):
    StructureFactory(avip=True, commune=territoires["43"]["commune"], avip_places=9)
    StructureFactory(avip=True, commune=territoires["64"]["commune"], avip_places=12, capacite=60)
    html = client.get("/administration/structures/structure/?avip=1").content.decode()
    table = html[html.index('id="resume-avip"'):html.index("</details>")]
    assert "43 — Haute-Loire" in table and "<td>9</td>" in table
    assert "Pyrénées" not in table and "<td>12</td>" not in table


def test_an_agent_of_caf_43_cannot_see_nor_edit_the_initiatives_of_64(client, territoires, agent43):
    from structures.models import InitiativeLocale

    theirs = InitiativeLocale.objects.create(departement_id="64", titre="Forum de Pau", texte="x", debut=datetime.date(2026, 1, 5))
    assert "Forum de Pau" not in client.get("/administration/structures/initiativelocale/").content.decode()
    assert client.get(f"/administration/structures/initiativelocale/{theirs.pk}/change/").status_code == 404
    response = client.post(f"/administration/structures/initiativelocale/{theirs.pk}/change/", {"titre": "Piraté"})
    assert response.status_code == 404 and InitiativeLocale.objects.get(pk=theirs.pk).titre == "Forum de Pau"
    # Nor publish one for 64 from the add form.
    client.post("/administration/structures/initiativelocale/add/", {
        "departement": "64", "titre": "Ailleurs", "texte": "x", "debut": "2026-12-01",
    })
    assert not InitiativeLocale.objects.filter(titre="Ailleurs").exists()


def test_a_crafted_post_cannot_hand_a_fiche_to_another_cafs_organisme(client, territoires, agent43):
    """The take-over of issue 15 §3: a fiche of 43 posted with the organisme of 64."""
    structure = territoires["43"]["structure"]
    data = structure_post("43157", rubrique="EAJE", type_accueil="collectif", nom=structure.nom, communes_desservies=[],
                          latitude=str(structure.point.y), longitude=str(structure.point.x),
                          organisme=territoires["64"]["organisme"].pk, **{"horaires-TOTAL_FORMS": "0"})
    response = client.post(reverse("admin:structures_structure_change", args=[structure.pk]), data)
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()
    structure.refresh_from_db()
    assert structure.organisme == territoires["43"]["organisme"]
    assert client.get(reverse("admin:structures_organisme_change", args=[territoires["64"]["organisme"].pk])).status_code == 404


def choice_errors(form_class, name, value) -> set[str]:
    form = form_class(data={name: value})
    form.is_valid()
    return {error.code for error in form.errors.as_data().get(name, [])}


def test_every_relation_field_of_every_back_office_form_refuses_another_territory(rf, territoires):
    """Walks every add and change form, with its inlines, of the back office as CAF 43's administrator
    (who may do the most): each foreign key or many-to-many field refuses the object of 64, and accepts the one of 43."""
    from django.contrib import admin
    from django.forms import ModelChoiceField, ModelMultipleChoiceField

    from habilitations.tests.factories import caf_of
    from structures.models import Caf, Commune, Departement

    ours, theirs = objects_of(territoires, "43"), objects_of(territoires, "64")
    linf43 = StructureFactory(nom="PIF du Velay", rubrique=Rubrique.LINF, commune=territoires["43"]["commune"])
    linf64 = StructureFactory(nom="PIF de Pau", rubrique=Rubrique.LINF, commune=territoires["64"]["commune"])
    pairs = {
        Commune: (ours["commune"], theirs["commune"]), Organisme: (ours["organisme"], theirs["organisme"]),
        Structure: (linf43, linf64), Caf: (caf_of("43"), caf_of("64")),
        Departement: (Departement.objects.get(pk="43"), Departement.objects.get(pk="64")),
        User: (ours["user"], theirs["user"]),
    }
    # A field that chooses among some objects only gets a pair of those.
    par_champ = {"mam": (StructureFactory(nom="MAM du Velay", rubrique=Rubrique.MAM, commune=territoires["43"]["commune"]),
                         StructureFactory(nom="MAM de Pau", rubrique=Rubrique.MAM, commune=territoires["64"]["commune"]))}
    request = rf.get("/administration/")
    request.user = make_person(Role.CAF_ADMIN, caf_code="43")
    request.user.is_verified = lambda: True
    walked = set()
    for model, model_admin in admin.site._registry.items():
        form_classes = []
        existing = model_admin.get_queryset(request).first()
        for obj, allowed in ((None, model_admin.has_add_permission(request)),
                             (existing, existing is not None and model_admin.has_change_permission(request, existing))):
            if allowed:
                form_classes.append(model_admin.get_form(request, obj))
                form_classes += [inline.get_formset(request, obj).form
                                 for inline in model_admin.get_inline_instances(request, obj)]
        for form_class in form_classes:
            for name, field in form_class.base_fields.items():
                if not isinstance(field, ModelChoiceField):
                    continue
                related = field.queryset.model
                assert related in pairs, f"{model.__name__}.{name}: {related.__name__} sans territoire connu du test"
                mine, foreign = par_champ.get(name, pairs[related])
                as_data = (lambda o: [o.pk]) if isinstance(field, ModelMultipleChoiceField) else (lambda o: o.pk)
                assert "invalid_choice" in choice_errors(form_class, name, as_data(foreign)), \
                    f"{model.__name__}.{name} accepte un objet de 64"
                assert "invalid_choice" not in choice_errors(form_class, name, as_data(mine)), \
                    f"{model.__name__}.{name} refuse un objet de 43"
                walked.add(f"{form_class._meta.model.__name__}.{name}")
    assert {"Structure.organisme", "Structure.commune", "Structure.communes_desservies", "Organisme.commune",
            "InitiativeLocale.departement", "InitiativeLocale.communes", "Affectation.structure", "Affectation.caf",
            "Horaire.structure", "Structure.mam"} <= walked, walked  # contracts: the CNAF only
