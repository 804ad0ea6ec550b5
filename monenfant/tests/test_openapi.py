"""The OpenAPI description (issue 20) is a valid document, names every route of the API, and matches the real
answers: each operation's examples are sent to the views and every answer is validated against the schema of
its status, where a property the description does not name fails."""

import json
from html import unescape

import pytest
from django.http import JsonResponse
from django.urls import get_resolver
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate
from referencing import Registry, Resource

from monenfant import openapi
from structures.enums import Rubrique, TypeAccueil
from structures.tests.factories import CommuneFactory, HoraireFactory, StructureFactory

pytestmark = pytest.mark.django_db
DOC = openapi.description()
DRAFT = Draft202012Validator.META_SCHEMA["$id"]


def api_routes() -> set[str]:
    routes = set()

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                routes.add("/" + prefix + str(pattern.pattern).replace("<int:pk>", "{id}"))

    walk(get_resolver().url_patterns)
    return {r for r in routes if r.startswith("/api/") and r not in ("/api/", "/api/openapi.json")}


def check(response, path: str):
    """The answer against the schema its status is described with."""
    described = DOC["paths"][path]["get"]["responses"]
    status = str(response.status_code)
    assert status in described, (path, status, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    ref = described[status]["content"]["application/json"]["schema"]["$ref"]
    registry = Registry().with_resource("urn:doc", Resource.from_contents({**DOC, "$schema": DRAFT}))
    schema = {"$schema": DRAFT, "$ref": "urn:doc" + ref}
    errors = sorted(Draft202012Validator(schema, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER)
                    .iter_errors(json.loads(response.content)), key=str)
    assert not errors, f"{path} {status} : " + "\n".join(f"{list(e.absolute_path)} {e.message}" for e in errors[:10])


@pytest.fixture
def annuaire(db):
    le_puy = CommuneFactory(code_insee="43157")
    CommuneFactory(code_insee="43268")
    creche = StructureFactory(creche=True, commune=le_puy, capacite=30, age_min_mois=2, age_max_mois=36)
    HoraireFactory(structure=creche)
    mam = StructureFactory(rubrique="MAM", commune=le_puy)
    assistant = StructureFactory(commune=le_puy, mam=mam)
    assistant.mam_confirmee_le = assistant.consentement_publication_le
    assistant.save()
    for _ in range(3):
        StructureFactory(creche=True, commune=le_puy)
    return {"creche": creche, "mam": mam, "assistant": assistant}


def test_the_description_is_a_valid_openapi_document_served_as_json(client):
    validate(DOC)
    response = client.get("/api/openapi.json")
    assert response.status_code == 200 and response.json() == DOC


def test_every_route_of_the_api_is_described():
    assert api_routes() == set(DOC["paths"])


def test_the_codes_it_lists_are_the_apps_codes():
    assert set(openapi.RUBRIQUES) == set(Rubrique.values)
    assert set(openapi.TYPES_ACCUEIL) == set(TypeAccueil.values)


@pytest.mark.parametrize("path", [p for p in DOC["paths"] if "x-exemples" in DOC["paths"][p]["get"]])
def test_the_examples_of_each_operation_answer_as_described(client, annuaire, path):
    exemples = DOC["paths"][path]["get"]["x-exemples"]
    assert exemples.get("200") and exemples.get("400")
    for status, queries in exemples.items():
        for query in queries:
            response = client.get(path + query)
            assert response.status_code == int(status), (path + query, response.content[:300])
            check(response, path)


def test_the_next_pages_answer_as_described(client, annuaire):
    url = "/api/structures/?commune=43157&limite=2"
    while url:
        response = client.get(url)
        check(response, "/api/structures/")
        url = response.json().get("suivant")


def test_an_answer_that_strays_from_the_description_fails_the_check():
    with pytest.raises(AssertionError, match="autre"):
        check(JsonResponse({"erreur": "Fiche introuvable.", "autre": 1}, status=404), "/api/structures/{id}/")
    with pytest.raises(AssertionError, match="distance_km"):
        check(JsonResponse({"type": "FeatureCollection", "features": [{
            "type": "Feature", "geometry": {"type": "Point", "coordinates": [3.9, 45.0]},
            "properties": {**dict.fromkeys(openapi.PROPRIETES), "distance_km": "loin"}}]}), "/api/structures/")


def test_one_fiche_of_each_kind_answers_as_described_and_a_missing_one_too(client, annuaire):
    for structure in annuaire.values():
        response = client.get(f"/api/structures/{structure.pk}/")
        assert response.status_code == 200
        check(response, "/api/structures/{id}/")
    assert client.get(f"/api/structures/{annuaire['mam'].pk}/").json()["properties"]["assistants_maternels"] == [
        annuaire["assistant"].pk]
    response = client.get("/api/structures/999999/")
    assert response.status_code == 404
    check(response, "/api/structures/{id}/")


def test_the_page_for_partners_lists_each_operation_with_its_parameters(client):
    html = unescape(client.get("/api/").content.decode())
    for path, methods in DOC["paths"].items():
        assert f"GET {path}" in html and methods["get"]["summary"] in html
        for parametre in methods["get"].get("parameters", []):
            if parametre["in"] == "query":
                assert f"<code>{parametre['name']}</code>" in html, (path, parametre["name"])
    assert "suivant" in html and 'href="/api/openapi.json"' in html
