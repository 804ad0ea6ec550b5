"""Accounts in the back office: nobody sets or sees another person's password, the LINF role comes only
from the habilitation workflow, and each acts only on people of a lower rank (issue 15, §1)."""

import pytest
from django.core import mail
from django.urls import reverse

from habilitations.enums import Role
from habilitations.models import User
from habilitations.tests.factories import make_person
from structures.enums import Rubrique
from structures.tests.factories import CommuneFactory, StructureFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def territoire():
    le_puy = CommuneFactory(code_insee="43157")
    creche = StructureFactory(nom="Crèche des Lutins", commune=le_puy, creche=True)
    linf = StructureFactory(nom="PIF du Velay", rubrique=Rubrique.LINF, commune=le_puy)
    return {
        "creche": creche, "linf": linf,
        "gestionnaire": make_person(Role.GESTIONNAIRE, structure=creche, email="direction@lutins.example.fr"),
        "linf_person": make_person(Role.LINF, structure=linf, email="julie@pif43.example.fr"),
        "agent": make_person(Role.CAF_AGENT, caf_code="43", email="agent@caf43.example.fr"),
        "autre_agent": make_person(Role.CAF_AGENT, caf_code="43", email="agent2@caf43.example.fr"),
        "caf_admin": make_person(Role.CAF_ADMIN, caf_code="43", email="admin@caf43.example.fr"),
        "cnaf": make_person(Role.CNAF_ADMIN, email="pilotage@cnaf.example.fr"),
        "cnaf2": make_person(Role.CNAF_ADMIN, email="pilotage2@cnaf.example.fr"),
    }


def change_url(user):
    return reverse("admin:habilitations_user_change", args=[user.pk])


def user_post(user, **changes):
    """The change form as the back office sends it, the person's roles unchanged."""
    affectations = list(user.affectations.all())
    data = {
        "email": user.email, "first_name": user.first_name or "Léa", "last_name": user.last_name or "Durand",
        "is_active": "on", "affectations-TOTAL_FORMS": str(len(affectations)),
        "affectations-INITIAL_FORMS": str(len(affectations)), "affectations-MIN_NUM_FORMS": "0",
        "affectations-MAX_NUM_FORMS": "1000",
    }
    for i, a in enumerate(affectations):
        data.update({f"affectations-{i}-id": a.pk, f"affectations-{i}-user": user.pk, f"affectations-{i}-role": a.role,
                     f"affectations-{i}-caf": a.caf_id or "", f"affectations-{i}-structure": a.structure_id or ""})
    data.update(changes)
    return data


def new_user_post(email, role, structure):
    return {
        "email": email, "first_name": "Inès", "last_name": "Blanc",
        "affectations-TOTAL_FORMS": "1", "affectations-INITIAL_FORMS": "0", "affectations-MIN_NUM_FORMS": "0",
        "affectations-MAX_NUM_FORMS": "1000", "affectations-0-role": role, "affectations-0-structure": structure.pk,
    }


@pytest.mark.parametrize("actor", ["agent", "caf_admin", "cnaf"])
def test_nobody_in_the_back_office_sets_a_password(client, territoire, actor):
    client.force_login(territoire[actor])
    for target in ("linf_person", "gestionnaire", "caf_admin"):
        person = territoire[target]
        before = User.objects.get(pk=person.pk).password
        url = reverse("admin:auth_user_password_change", args=[person.pk])
        assert client.get(url).status_code == 403, (actor, target)
        response = client.post(url, {"password1": "Attaquant2026!x", "password2": "Attaquant2026!x"})
        assert response.status_code == 403
        assert User.objects.get(pk=person.pk).password == before
    assert "Attaquant" not in client.get(change_url(territoire["linf_person"])).content.decode()


def test_a_superuser_does_not_set_one_either(client, territoire):
    client.force_login(User.objects.create_superuser("root@cnaf.example.fr", "Racine2026longue"))
    url = reverse("admin:auth_user_password_change", args=[territoire["linf_person"].pk])
    assert client.post(url,
                       {"password1": "Attaquant2026!x", "password2": "Attaquant2026!x"}).status_code == 403


def test_an_agent_cannot_give_the_linf_role_by_creating_a_user(client, territoire):
    client.force_login(territoire["agent"])
    response = client.post(reverse("admin:habilitations_user_add"),
                           new_user_post("complice@example.fr", Role.LINF, territoire["linf"]))
    assert response.status_code == 200
    assert "donné et retiré par l&#x27;habilitation" in response.content.decode()
    assert not User.objects.filter(email="complice@example.fr").exists()
    assert not mail.outbox


def test_nor_by_adding_it_to_an_existing_person_nor_by_removing_it(client, territoire):
    client.force_login(territoire["agent"])
    gestionnaire = territoire["gestionnaire"]
    data = user_post(gestionnaire, **{
        "affectations-TOTAL_FORMS": "2", "affectations-1-role": Role.LINF, "affectations-1-structure": territoire["linf"].pk,
    })
    assert client.post(change_url(gestionnaire), data).status_code == 200
    assert not gestionnaire.affectations.filter(role=Role.LINF).exists()
    julie = territoire["linf_person"]
    data = user_post(julie, **{"affectations-0-DELETE": "on"})
    assert client.post(change_url(julie), data).status_code == 200
    assert julie.affectations.filter(role=Role.LINF).exists()


def test_an_account_opened_in_the_back_office_gets_its_activation_link(client, territoire, commits):
    client.force_login(territoire["agent"])
    response = client.post(reverse("admin:habilitations_user_add"),
                           new_user_post(" Nouvelle.Directrice@Lutins.example.fr", Role.GESTIONNAIRE, territoire["creche"]))
    assert response.status_code == 302
    person = User.objects.get(email="nouvelle.directrice@lutins.example.fr")
    assert not person.has_usable_password()
    [message] = [m for m in mail.outbox if m.to == [person.email]]
    assert "/pro/nouveau-mot-de-passe/" in message.body and "Caf de la Haute-Loire" in message.body


@pytest.mark.parametrize(("actor", "target", "allowed"), [
    ("agent", "gestionnaire", True),
    ("agent", "linf_person", True),
    ("agent", "autre_agent", False),
    ("agent", "agent", False),
    ("agent", "caf_admin", False),
    ("caf_admin", "agent", True),
    ("caf_admin", "caf_admin", False),
    ("cnaf", "caf_admin", True),
    ("cnaf", "cnaf2", False),
])
def test_each_acts_only_on_a_lower_rank(client, territoire, actor, target, allowed):
    client.force_login(territoire[actor])
    person = territoire[target]
    response = client.post(change_url(person), user_post(person, first_name="Renommée"))
    assert response.status_code == (302 if allowed else 403)
    assert (User.objects.get(pk=person.pk).first_name == "Renommée") is allowed
    assert client.get(change_url(person)).status_code == 200, "read, not changed"


def test_the_address_of_an_account_is_the_persons_own(client, territoire):
    """Changing it would send the next reset link to whoever typed the new one."""
    client.force_login(territoire["agent"])
    gestionnaire = territoire["gestionnaire"]
    response = client.post(change_url(gestionnaire), user_post(gestionnaire, email="pirate@example.fr"))
    assert response.status_code == 302
    assert User.objects.get(pk=gestionnaire.pk).email == "direction@lutins.example.fr"


def test_a_caf_admin_resets_a_lost_second_factor_and_resends_an_activation(client, territoire, commits):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    julie = territoire["linf_person"]
    TOTPDevice.objects.create(user=julie, name="application", confirmed=True)
    jamais = make_person(Role.GESTIONNAIRE, structure=territoire["creche"], email="jamais@lutins.example.fr")
    jamais.set_unusable_password()
    jamais.save()
    client.force_login(territoire["caf_admin"])
    changelist = reverse("admin:habilitations_user_changelist")
    client.post(changelist, {"action": "reinitialiser_second_facteur", "_selected_action": [julie.pk]})
    assert not TOTPDevice.objects.filter(user=julie).exists()
    mail.outbox.clear()
    client.post(changelist, {"action": "envoyer_lien_activation",
                             "_selected_action": [jamais.pk, territoire["gestionnaire"].pk]})
    assert [m.to for m in mail.outbox] == [["jamais@lutins.example.fr"]], "only the account without a password"
    # A CNAF administrator is out of reach: nothing happens to them, whatever the ids posted.
    cnaf = territoire["cnaf"]
    TOTPDevice.objects.create(user=cnaf, name="application", confirmed=True)
    client.post(changelist, {"action": "reinitialiser_second_facteur", "_selected_action": [cnaf.pk]})
    assert TOTPDevice.objects.filter(user=cnaf).exists()

