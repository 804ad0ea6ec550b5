"""/api/openapi.json and the page /api/ that a partner reads without the README: both from monenfant.openapi."""

import json

from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import openapi


@require_GET
def openapi_json(request):
    response = JsonResponse(openapi.description(), json_dumps_params={"ensure_ascii": False, "indent": 1})
    # Read by tools in a browser (Swagger UI, a partner's page): nothing personal in it.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _type(schema: dict) -> str:
    types = schema.get("type", "")
    return " ou ".join(t for t in (types if isinstance(types, list) else [types]) if t != "null") or "texte"


@require_GET
def documentation(request):
    doc = openapi.description()
    operations = []
    for chemin, methodes in doc["paths"].items():
        operation = methodes["get"]
        parametres = [{**p, "type": _type(p["schema"]), "valeurs": p["schema"].get("enum")}
                      for p in operation.get("parameters", []) if p["in"] == "query"]
        exemples = [chemin + e for e in operation.get("x-exemples", {}).get("200", []) if e]
        reponses = [{"statut": statut, "description": r["description"]} for statut, r in operation["responses"].items()]
        operations.append({"chemin": chemin, "id": operation["operationId"], "resume": operation["summary"],
                           "description": operation.get("description", ""), "parametres": parametres,
                           "exemples": exemples, "reponses": reponses})
    schemas = {nom: json.dumps(schema, ensure_ascii=False, indent=1)
               for nom, schema in doc["components"]["schemas"].items()}
    return render(request, "api.html", {"info": doc["info"], "operations": operations, "schemas": schemas})
