"""The texts of the convention, the avenant and the CAF–CNAF contract: versioned templates the CNAF writes in
the back office, CAF agents read, and each PDF names the version it was made from."""

import pytest
from django.urls import reverse

from habilitations import modeles, services
from habilitations.enums import Role, TypeModele
from habilitations.modeles import ModeleDocument
from habilitations.modeles_textes import TEXTES
from habilitations.tests.factories import make_person
from habilitations.tests.fixtures import pdf_text

pytestmark = pytest.mark.django_db

ADD = reverse("admin:habilitations_modeledocument_add")
CHANGELIST = reverse("admin:habilitations_modeledocument_changelist")


@pytest.fixture
def agent():
    return make_person(Role.CAF_AGENT, caf_code="43", email="agent@caf43.example.fr")


@pytest.fixture
def cnaf():
    return make_person(Role.CNAF_ADMIN, email="modeles@cnaf.example.fr")


def _new_version_form(client, type, **changes) -> dict:
    """What the add page offers for a type (the current text, prefilled), with the author's changes."""
    form = client.get(ADD, {"type": type}).context["adminform"].form
    assert form.initial["texte"] == ModeleDocument.courant(type).texte
    return {"type": type, "texte": form.initial["texte"], "commentaire": "", **changes}


@pytest.mark.parametrize(("type", "headings"), [
    (TypeModele.CONVENTION, [
        "## Entre les parties", "## Article 1 — Objet de la convention",
        "## Article 2 — Confidentialité et protection des données personnelles", "## Article 4 — Engagements du lieu d'information",
        "## Article 5 — Contrôle des connexions", "## Article 6 — Conservation des données et attestation de destruction",
        "## Article 7 — Durée", "## Article 8 — Préavis", "## Article 9 — Résiliation pour manquement",
        "## Article 12 — Règlement des litiges", "## Annexe 1 — Communes concernées", "## Annexe 2 — Personnes habilitées",
    ]),
    (TypeModele.AVENANT, ["## Entre les parties", "## Objet de l'avenant", "## Personnes ajoutées", "## Personnes retirées",
                          "## Autres stipulations"]),
    (TypeModele.CONTRAT, ["## Entre les soussignés", "## Article 1 — Objet", "## Article 2 — Autorisation",
                          "## Article 3 — Engagements de la CAF", "## Article 4 — Durée", "## Article 5 — Résiliation"]),
])
def test_version_1_holds_every_clause_of_the_guide(type, headings):
    modele = ModeleDocument.courant(type)
    assert (modele.version, modele.texte) == (1, TEXTES[type])
    for heading in headings:
        assert heading in modele.texte, heading
    modeles.verifier(type, modele.texte)


def test_version_1_says_what_the_guide_requires():
    convention, contrat = TEXTES[TypeModele.CONVENTION], TEXTES[TypeModele.CONTRAT]
    for words in ["RGPD", "responsable des données qu'il récupère", "{duree_conservation}", "attestation de destruction",
                  "un an", "tacite reconduction", "trois mois", "tribunal administratif", "{delai}", "{personnes}"]:
        assert words in convention, words
    for words in ["un an", "tacite reconduction", "un mois après la réception", "de plein droit"]:
        assert words in contrat, words


@pytest.mark.pdf
def test_a_cnaf_administrator_writes_a_version_and_the_next_convention_is_made_from_it(client, cnaf, agent, demande):
    v1 = ModeleDocument.courant(TypeModele.CONVENTION)
    client.force_login(cnaf)
    data = _new_version_form(client, TypeModele.CONVENTION, commentaire="Clause sur l'affichage")
    data["texte"] = data["texte"].replace("## Article 12", "## Article 12 bis — Affichage\n\nLe lieu d'information "
                                          "affiche le service en ligne dans ses locaux.\n\n## Article 12")
    response = client.post(ADD, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    v2 = ModeleDocument.courant(TypeModele.CONVENTION)
    assert (v2.version, v2.cree_par, v2.commentaire) == (2, cnaf, "Clause sur l'affichage")

    document = services.send_convention(demande=demande, par=agent)
    assert document.modele == v2
    text = pdf_text(document)
    assert "Le lieu d'information affiche le service en ligne dans ses locaux." in text
    assert f"{v2}." in text and "Modèle de convention version 2 du" in text
    for expected in ["Communauté d'agglomération du Puy", "Caf de la Haute-Loire", "7 jours", "6 mois", "Julie Roche",
                     "Espaly-Saint-Marcel", "tacite reconduction", "Contrôle des connexions"]:
        assert expected in text, expected
    v1.refresh_from_db()
    assert v1.texte == TEXTES[TypeModele.CONVENTION], "une version ne change jamais"


def test_the_avenant_names_its_version(client, agent, demande, rendered_html):
    services.send_convention(demande=demande, par=agent)
    services.validate(demande=demande, par=agent)
    ines = {"prenom": "Inès", "nom": "Mercier", "email": "ines.mercier@agglo43.example.fr", "fonction": "EJE"}
    services.make_avenant(demande=demande, par=agent, ajouts=[ines], retraits=[])
    document = demande.documents.get(type="avenant")
    assert document.modele == ModeleDocument.courant(TypeModele.AVENANT)
    html = rendered_html[-1]
    assert "Avenant n° 1 à la convention" in html and "Inès Mercier" in html
    assert html.index("Personnes ajoutées") < html.index("Inès Mercier") < html.index("Personnes retirées")
    assert "Modèle d’avenant version 1 du" in str(document.modele) and str(document.modele) in html


def test_a_caf_agent_reads_the_versions_but_writes_none(client, agent):
    v1 = ModeleDocument.courant(TypeModele.CONVENTION)
    client.force_login(agent)
    page = client.get(CHANGELIST)
    assert page.status_code == 200 and ADD not in page.content.decode()
    assert client.get(ADD).status_code == 403
    assert client.post(ADD, {"type": "convention", "texte": "{communes} {personnes}", "commentaire": "x"}).status_code == 403
    change = reverse("admin:habilitations_modeledocument_change", args=[v1.pk])
    page = client.get(change).content.decode()
    assert "Article 5 — Contrôle des connexions" in page and "Écrire une nouvelle version" not in page
    assert 'name="_save"' not in page
    client.post(change, {"type": "convention", "texte": "changé", "commentaire": "x"})
    assert ModeleDocument.objects.get(pk=v1.pk).texte == TEXTES[TypeModele.CONVENTION]
    assert ModeleDocument.objects.filter(type="convention").count() == 1


def test_a_version_is_never_changed_nor_deleted_even_by_the_cnaf(client, cnaf, agent, demande):
    v1 = ModeleDocument.courant(TypeModele.CONVENTION)
    document = services.send_convention(demande=demande, par=agent)
    modeles.nouvelle_version(type=TypeModele.CONVENTION, texte=v1.texte + "\nAjout.\n", commentaire="ajout", par=cnaf)
    client.force_login(cnaf)
    change = reverse("admin:habilitations_modeledocument_change", args=[v1.pk])
    page = client.get(change).content.decode()
    assert 'name="_save"' not in page and f"{ADD}?depuis={v1.pk}" in page
    client.post(change, {"type": "convention", "texte": "changé", "commentaire": "x"})
    assert client.post(reverse("admin:habilitations_modeledocument_delete", args=[v1.pk]), {"post": "yes"}).status_code == 403
    v1.refresh_from_db()
    assert v1.texte == TEXTES[TypeModele.CONVENTION]
    v1.texte = "changé"
    with pytest.raises(ValueError, match="ne se modifie pas"):
        v1.save()
    document.refresh_from_db()
    assert document.modele_id == v1.pk
    # A new version may start again from an old one.
    assert client.get(ADD, {"depuis": v1.pk}).context["adminform"].form.initial["texte"] == TEXTES[TypeModele.CONVENTION]


def test_unknown_and_missing_placeholders_are_refused_in_french(client, cnaf):
    client.force_login(cnaf)
    data = _new_version_form(client, TypeModele.CONVENTION, commentaire="essai")
    response = client.post(ADD, {**data, "texte": data["texte"] + "\n{mot_de_passe}\n"})
    assert "Variables inconnues pour ce document : {mot_de_passe}" in response.content.decode()
    response = client.post(ADD, {**data, "texte": data["texte"].replace("{personnes}", "")})
    assert "Variables obligatoires absentes : {personnes}" in response.content.decode()
    # The avenant's placeholders are not the contract's.
    response = client.post(ADD, {"type": "contrat", "texte": TEXTES["contrat"] + "{ajoutees}", "commentaire": "x"})
    assert "Variables inconnues pour ce document : {ajoutees}" in response.content.decode()
    assert not ModeleDocument.objects.filter(version=2).exists()


def test_typed_values_and_the_authors_text_never_inject_html(cnaf, agent, demande, rendered_html):
    type(demande).objects.filter(pk=demande.pk).update(organisme_nom="<script>alert(1)</script> {caf} **gras**")
    demande.personnes.filter(prenom="Julie").update(nom="<img src=x onerror=alert(2)>")
    modeles.nouvelle_version(type=TypeModele.CONVENTION, par=cnaf, texte=(
        "Entre **{organisme}** et {caf}.\n\n<b onclick=alert(3)>gras</b> [lien](javascript:alert(4))\n\n"
        "{communes}\n\n{personnes}\n"))
    services.send_convention(demande=demande, par=agent)
    html = rendered_html[-1]
    assert "<script" not in html and "<img" not in html and "<b " not in html and "href" not in html
    assert "<strong>&lt;script&gt;alert(1)&lt;/script&gt; {caf} **gras**</strong>" in html, "ni balise, ni variable, ni Markdown"
    assert "et Caf de la Haute-Loire." in html
    assert "&lt;img src=x onerror=alert(2)&gt;" in html
    assert "&lt;b onclick=alert(3)&gt;gras&lt;/b&gt;" in html, "le HTML de l'auteur reste du texte"
