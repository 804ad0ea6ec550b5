"""Fuzz of the public surface: every form and every parameter gets hostile values, and never a 500 (issue 15).

What is fuzzed is read from the code, not listed by hand:
- the routes, from the URL resolver (`test_every_route_is_fuzzed` fails on a new route with a parameter
  until it has an address here);
- the forms, from the HTML of the public pages (every `<form>`: hidden fields, selects, radios, checkboxes
  and named buttons), the families' multi-step demande walked step by step;
- the query parameters of each view, from its source (what it reads from `request.GET`, also through the
  helpers and the forms it hands the query to), from the public API of README.md and from the pages' links.

Each field gets each hostile value in turn (empty, huge, NUL and control characters, invalid UTF-8, unicode,
SQL and HTML; numbers beyond 64 bits, NaN, infinities and far dates where a field holds a number, a date or
a choice) and is repeated, the others keeping a valid value; then every field at once gets each value; then
no field at all. What a form accepts goes on to the page that shows it (a follow-up, a family's demande
sent, read and exported by its LINF). Path parameters get garbage, ids beyond 64 bits, negative ones.

A 400, a 404, a 429 (rate limits) or the form's French error are all fine: a status of 500 or more, a
traceback page or an exception is a failure, listed with its request. What is written by hand is only the
valid value of a few fields (a real commune, a date to come), so that the hostile one reaches the code.
"""

import ast
import copy
import datetime
import inspect
import logging
import re
import sys
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote_from_bytes, urlencode, urljoin, urlsplit

import lxml.html
import pytest
from captcha.models import CaptchaStore
from django.conf import settings as django_settings
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.forms import BaseForm
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from demandes.models import Demande
from demandes.tests.conftest import open_linf
from guide.models import PageGuide
from habilitations.enums import Role
from habilitations.services import create_demande_habilitation
from habilitations.tests.factories import make_person
from habilitations.tests.fixtures import FORM
from monenfant.tests.horloge import JOUR_DES_TESTS
from structures.enums import Rubrique
from structures.models import InitiativeLocale
from structures.tests.factories import CommuneFactory, HoraireFactory, StructureFactory

# SQLite and PostgreSQL fail differently (a NUL, a value longer than its column): `make test` runs it on both.
pytestmark = [pytest.mark.django_db, pytest.mark.postgis, pytest.mark.time_machine(JOUR_DES_TESTS)]

PROJECT_APPS = ("structures", "simulateur", "habilitations", "linf", "demandes", "guide", "monenfant")
README = Path(__file__).resolve().parents[2] / "README.md"

# Hostile values: (what it is, the value). Bytes go on the wire as they are: a lone surrogate cannot be
# encoded in UTF-8, so a client sends its CESU bytes, which are invalid UTF-8.
HUGE = "x" * 100_000
LONG_EMAIL = f"{'a' * 64}@{'b' * 60}.{'c' * 60}.{'d' * 60}.{'e' * 50}.fr"  # well formed, 301 characters


def text_values(valid: str) -> list[tuple[str, str | bytes]]:
    """For every field. The hostile characters follow the field's valid value, so that they get past a
    first check (a length, a word of three letters) to the code behind."""
    return [
        ("vide", ""),
        ("100 000 caractères", HUGE),
        ("NUL", f"{valid}\x00"),
        ("caractères de contrôle", f"{valid}\x01\x1b[2J\r\nSet-Cookie: x=1"),
        ("surrogat isolé, UTF-8 invalide", valid.encode() + b"\xed\xa0\x80\xff"),
        ("unicode, SQL et HTML", f"{valid}\u202eevil👶🏽e\u0301\u0301' OR '1'='1' --\"><script>alert(1)</script>{{{{ x }}}}%_"),
    ]


NUMBERS = [  # for the fields that hold a number, a date, a choice, or nothing yet
    ("1e27", "1e27"),
    ("-1", "-1"),
    ("2**70", str(2**70)),
    ("NaN", "NaN"),
    ("inf", "inf"),
    ("date lointaine", "9999-12-31"),
]
MORE = [  # with the others, for every field at once
    ("espaces", "   "),
    ("RTL override", "\u202eevil\u202c"),
    ("emoji", "👶🏽🍼"),
    ("diacritiques combinants", "e\u0301\u0301\u0301\u0301"),
    ("SQL", "' OR '1'='1' --"),
    ("HTML", '"><script>alert(1)</script>'),
    ("NUL seul", "\x00"),
    ("-2**70", str(-(2**70))),
    ("2**63", str(2**63)),
    ("5000 chiffres", "9" * 5000),
    ("1E+400", "1E+400"),
    ("-Infinity", "-Infinity"),
    ("chiffres arabes", "١٢"),
    ("LIKE", "%_\\"),
    ("gabarit", "{% debug %}"),
    ("date ancienne", "0001-01-01"),
    ("date impossible", "31/02/2026"),
    ("adresse électronique de 301 caractères", LONG_EMAIL),
]
TEXT = text_values("")
ALL_AT_ONCE = TEXT + MORE  # the numbers go to the fields that hold one, above
NUMBER_LIKE = re.compile(r"^[\d\s.,:/+-]*$")  # valid values of fields that hold a number or a date
CHOICE_KINDS = {"hidden", "number", "date", "select", "radio", "checkbox"}


def _text(value) -> str:
    text = value.decode("latin-1") if isinstance(value, bytes) else str(value)
    return repr(text[:40] + ("…" if len(text) > 40 else ""))


# The site: routes, forms and parameters, read from the code -------------------------------------

def routes() -> list[tuple[str, str, object]]:
    """(pattern, name, view) of every route, the back office's aside (its login page is a form below)."""
    found = []

    def walk(patterns, prefix="", namespace=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern), f"{namespace}{p.namespace}:" if p.namespace else namespace)
            elif isinstance(p, URLPattern):
                found.append((prefix + str(p.pattern), f"{namespace}{p.name}", p.callback))

    walk(get_resolver().url_patterns)
    return [r for r in found if not r[0].startswith("administration/")]


def has_parameter(pattern: str) -> bool:
    return "<" in pattern or "(?P" in pattern


def _project_function(obj):
    obj = inspect.unwrap(obj) if callable(obj) else obj
    module = getattr(obj, "__module__", "") or ""
    return obj if inspect.isfunction(obj) and module.split(".")[0] in PROJECT_APPS else None


def _resolve_callee(node, module):
    if isinstance(node, ast.Name):
        return module.__dict__.get(node.id)
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        owner = module.__dict__.get(node.value.id)
        return getattr(owner, node.attr, None) if owner is not None else None
    return None


def _constant_strings(value) -> list[str]:
    if isinstance(value, dict):
        value = list(value)
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return list(value)
    return []


def query_names(func, tracked=frozenset(), bound=None, _seen=None) -> set[str]:
    """The names a view reads from its query string: `request.GET.get("x")`, `params["x"]`, `getlist`,
    loops over a module's constant names, the helpers the query is handed to and the forms built on it."""
    func = _project_function(func)
    _seen = set() if _seen is None else _seen
    key = (func, frozenset(tracked), frozenset((bound or {}).items()))
    if func is None or key in _seen:
        return set()
    _seen.add(key)
    module = sys.modules[func.__module__]
    tree = ast.parse(textwrap.dedent(inspect.getsource(func)))
    tracked, bound, loops, names = set(tracked), dict(bound or {}), {}, set()

    def is_query(node):
        if isinstance(node, ast.BoolOp):  # `request.GET or None`
            return any(is_query(v) for v in node.values)
        if isinstance(node, ast.Name):
            return node.id in tracked
        return isinstance(node, ast.Attribute) and node.attr == "GET" and isinstance(node.value, ast.Name)

    def strings(node) -> list[str]:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return [node.value]
        if isinstance(node, ast.Name):
            return [bound[node.id]] if node.id in bound else loops.get(node.id, [])
        return []

    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and is_query(node.value):
            tracked |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        if isinstance(node, ast.For | ast.comprehension):  # `for name in REQUIRED`, `for name, parse in PARSERS.items()`
            iterable = node.iter
            if isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Attribute) and iterable.func.attr in ("items", "keys"):
                iterable = iterable.func.value
            values = _constant_strings(module.__dict__.get(iterable.id)) if isinstance(iterable, ast.Name) else []
            target = node.target.elts[0] if isinstance(node.target, ast.Tuple) else node.target
            if isinstance(target, ast.Name) and values:
                loops.setdefault(target.id, []).extend(values)
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and is_query(node.value):
            names.update(strings(node.slice))
        if not isinstance(node, ast.Call):
            continue
        if isinstance(node.func, ast.Attribute) and node.func.attr in ("get", "getlist", "pop") and is_query(node.func.value):
            names.update(strings(node.args[0]) if node.args else [])
        for position, arg in enumerate(node.args):
            if not is_query(arg):
                continue
            callee = _resolve_callee(node.func, module)
            if inspect.isclass(callee) and issubclass(callee, BaseForm):
                names.update(callee.base_fields)
            elif _project_function(callee):
                parameters = list(inspect.signature(inspect.unwrap(callee)).parameters)
                constants = {parameters[i]: s[0] for i, a in enumerate(node.args[:len(parameters)])
                             if len(s := strings(a)) == 1}
                if position < len(parameters):
                    names |= query_names(callee, {parameters[position]}, constants, _seen)
    return names


def documented_names() -> dict[str, set[str]]:
    """The query parameters of the public API as README.md documents them for partners, by route name."""
    section = README.read_text(encoding="utf-8").split("## Public API", 1)[1].split("\n## ", 1)[0]
    found: dict[str, set[str]] = {}
    for block in re.split(r"(?m)^(?=`GET )", section)[1:]:
        path, query = re.match(r"`GET (/[^?`\s]*)\??([^`]*)`", block).groups()
        names = set(re.findall(r"(\w+)=", query))
        for first_cell in re.findall(r"(?m)^\| (`.*?) \|", block):
            names |= set(re.findall(r"`(\w+)`", first_cell))
        found[resolve(path).view_name] = names
    return found


@dataclass
class Form:
    method: str
    action: str
    fields: dict[str, list]  # name -> what a browser sends when nothing is touched
    kinds: dict[str, str]  # name -> input type, "select", "textarea" or "submit"


def forms_of(html: bytes, page_url: str) -> list[Form]:
    forms = []
    for element in lxml.html.fromstring(html).forms:
        action = urljoin(page_url, element.get("action") or page_url)
        values: dict[str, list] = {}
        kinds: dict[str, str] = {}
        for control in element.xpath(".//input|.//select|.//textarea|.//button"):
            name = control.get("name")
            if not name:
                continue
            kind = control.tag if control.tag in ("select", "textarea") else (
                control.get("type") or ("submit" if control.tag == "button" else "text")).lower()
            kinds.setdefault(name, kind)
            if kind == "select":
                options = [o.get("value", o.text_content()) for o in control.xpath(".//option")]
                chosen = [o.get("value", o.text_content()) for o in control.xpath(".//option[@selected]")]
                values[name] = chosen or [next((o for o in options if o), "")]
            elif kind == "textarea":
                values[name] = [control.text or ""]
            elif kind in ("submit", "button", "image", "reset"):
                continue  # a named button is fuzzed, not sent by default
            elif kind == "checkbox":
                values.setdefault(name, [])
                if control.get("checked") is not None:
                    values[name].append(control.get("value", "on"))
            elif kind == "radio":
                if control.get("checked") is not None or name not in values:
                    values[name] = [control.get("value", "on")]
            else:
                values[name] = [control.get("value", "")]
        forms.append(Form((element.get("method") or "get").lower(), action, values, kinds))
    return forms


def fuzzed_names(form: Form) -> list[str]:
    """The fields a hostile value goes to: a formset's second and third rows are the first one again."""
    return [n for n in form.kinds if n != "csrfmiddlewaretoken" and not re.search(r"-[1-9]\d*-", n)]


def route_of(url: str) -> str | None:
    try:
        return resolve(urlsplit(url).path).view_name
    except Resolver404:
        return None


# The site the fuzz runs on -------------------------------------------------------------------

@dataclass
class Site:
    linf: object
    person: object
    creche: object
    initiative: object
    guide_slug: str
    captcha_key: str
    suivi_jeton: str

    def reset_link(self) -> str:
        """A fresh link (setting a password spends the previous one)."""
        self.person.refresh_from_db()
        uid = urlsafe_base64_encode(force_bytes(self.person.pk))
        return f"/pro/nouveau-mot-de-passe/{uid}/{default_token_generator.make_token(self.person)}/"

    def concrete_urls(self) -> dict[str, str]:
        """A real address of each route with a parameter (the others are read from the resolver)."""
        return {
            "structures:fiche": f"/structures/{self.creche.pk}/",
            "structures:api_structure": f"/api/structures/{self.creche.pk}/",
            "structures:donnees_fichier": "/donnees/annuaire.csv",
            "structures:initiative_image": f"/initiatives/{self.initiative.pk}/image/",
            "pro:nouveau_mot_de_passe": self.reset_link(),
            "pro:suivi_habilitation": f"/pro/habilitation/suivi/{self.suivi_jeton}/",
            "pro:fiche": f"/pro/structures/{self.creche.pk}/",
            "pro:consentement": f"/pro/structures/{self.creche.pk}/consentement/",
            "pro:assistant_mam": f"/pro/structures/{self.creche.pk}/assistants/{self.creche.pk}/",
            "demandes_pro:detail": "/pro/demandes/DI-43-000001/",
            "demandes_pro:ouvrir": "/pro/demandes/DI-43-000001/ouvrir/",
            "demandes:etape": "/demande-information/etape/commune/",
            "demandes:confirmation": "/demande-information/confirmation/DI-43-000001/",
            "demandes:confirmation_pdf": "/demande-information/confirmation/DI-43-000001/pdf/",
            "demandes:suivi": f"/demande-information/suivi/{'J' * 43}/",
            "demandes:retirer": f"/demande-information/suivi/{'J' * 43}/retirer/",
            "familles:confirmer": f"/alertes/{'J' * 43}/confirmer/",
            "familles:arreter": f"/alertes/{'J' * 43}/arreter/",
            "guide:rubrique": "/guide/rubrique/EAJE/",
            "guide:page": f"/guide/{self.guide_slug}/",
            "linf:departement": "/departements/43/",
            "captcha-image": f"/captcha/image/{self.captcha_key}/",
            "captcha-image-2x": f"/captcha/image/{self.captcha_key}@2/",
            "captcha-audio": f"/captcha/audio/{self.captcha_key}.wav",
        }

    def pages(self) -> list[str]:
        concrete = self.concrete_urls()
        urls = ["/administration/login/", "/pro/habilitation/?departement=43"]
        for pattern, name, _ in routes():
            urls.append(concrete[name] if has_parameter(pattern) else "/" + pattern.rstrip("$"))
        return urls


@pytest.fixture
def site(settings):
    """Le Puy served by an open LINF, a crèche, an RPE and an assistant maternel around it, a LINF person
    who can log in, an habilitation request to follow, a CAF initiative with its image."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # a login is checked per request
    settings.AXES_FAILURE_LIMIT = 10**6  # the lockout would answer in place of the login form
    cache.clear()
    le_puy, espaly = CommuneFactory(code_insee="43157"), CommuneFactory(code_insee="43089")
    CommuneFactory(code_insee="43268")
    linf, person = open_linf("PIF du Velay", le_puy, espaly, person_email="julie@pif43.example.fr")
    agent = make_person(Role.CAF_AGENT, caf_code="43", email="agent@caf43.example.fr")
    for user in (person, agent):
        user.set_password(PASSWORD[0])
        user.save()
    creche = StructureFactory(creche=True, avip=True, nom="Crèche des Capucins", commune=le_puy)
    HoraireFactory(structure=creche)
    StructureFactory(rubrique=Rubrique.ASSMAT, nom="Camille Roux", commune=espaly)
    StructureFactory(rubrique=Rubrique.RPE, nom="Relais du Velay", commune=le_puy)
    initiative = InitiativeLocale.objects.create(
        departement_id="43", titre="Forum de l'accueil", texte="Au Puy.", debut=datetime.date(2026, 11, 1),
        image=b"\x89PNG\r\n\x1a\n", image_type="image/png", image_alt="Une affiche",
    )
    caf = le_puy.departement.caf
    caf.email_habilitations = "linf@caf43.example.fr"
    caf.save()
    habilitation = create_demande_habilitation(
        caf=caf, organisme_nom="Agglomération du Puy", organisme_siret="", organisme_adresse="16 place du Breuil",
        demandeur_nom="Claire Vidal", demandeur_email="claire.vidal@agglo43.example.fr", demandeur_telephone="",
        structures=[linf], communes=[le_puy], delai_recuperation_jours=7,
        personnes=[{"prenom": "Julie", "nom": "Roche", "email": "julie.roche@agglo43.example.fr", "fonction": "Animatrice"}],
    )
    return Site(
        linf=linf, person=person, creche=creche, initiative=initiative,
        guide_slug=PageGuide.objects.publiees().values_list("slug", flat=True).first(),  # seeded by a migration
        captcha_key=CaptchaStore.generate_key(), suivi_jeton=habilitation.jeton_suivi,
    )


# Valid values of the fields whose default (empty) would stop a request before the hostile value is read;
# several sets where a parameter is read only without another (a commune's name without its code).
VALID_QUERY = {
    "structures:recherche": [{"code_insee": ["43157"], "rayon_km": ["10"]}, {"commune": ["Le Puy-en-Velay"]}],
    "structures:avip": [{"code_insee": ["43157"]}, {"commune": ["Le Puy-en-Velay"]}],
    "structures:api_structures": [
        {"commune": ["43157"], "rayon_km": ["10"], "rubrique": ["EAJE"], "limite": ["5"]},
        {"lat": ["45.04"], "lon": ["3.88"]},
        # Ranked by a need: its parameters hostile one at a time, the others valid (structures.besoin).
        {"commune": ["43157"], "tri": ["adequation"], "age_enfant": ["4"], "debut": ["2027-03-01"], "jours": ["1,2,3"],
         "heure_debut": ["08:00"], "heure_fin": ["18:00"]},
    ],
    "structures:api_communes": [{"q": ["Le Puy"]}],
    "simulateur:api_creche": [{
        "ressources_mensuelles": ["2500"], "enfants_a_charge": ["1"], "type_accueil": ["collectif"],
        "heures_par_semaine": ["40"], "date": ["2026-12-01"], "enfants_aeeh": ["0"], "semaines_par_an": ["47"],
        "mois_factures": ["12"],
    }],
    "simulateur:api_assmat": [{
        "ressources_mensuelles": ["2500"], "enfants_a_charge": ["1"], "heures_par_semaine": ["40"],
        "date": ["2026-12-01"], "salaire_horaire": ["4.85"], "indemnite_entretien": ["3.92"], "prix_repas": ["3.50"],
        "repas_par_jour": ["1"], "jours_par_semaine": ["5"], "enfants_aeeh": ["0"], "semaines_par_an": ["47"],
        "mois_factures": ["12"],
    }],
    "guide:index": [{"q": ["crèche"]}],
    "pro:demande_habilitation": [{"departement": ["43"]}],
}
PASSWORD = ["un mot de passe solide"]
VALID_POST = {
    "simulateur:simulateur": {"ressources_mensuelles": ["2500"], "date": ["2026-12-01"]},
    "pro:connexion": {"username": ["julie@pif43.example.fr"], "password": PASSWORD},
    "structures:recherche": {"commune": ["Le Puy-en-Velay"], "code_insee": ["43157"], "adresse": ["1 place du Breuil"],
                             "age_enfant": ["4"], "debut": ["2027-03-01"], "jours": ["1", "2"], "heure_debut": ["08:00"],
                             "heure_fin": ["18:00"], "ressources": ["3000"], "enfants": ["2"]},
    "pro:mot_de_passe_oublie": {"email": ["julie@pif43.example.fr"]},
    "pro:demande_habilitation": {k: [v] for k, v in FORM.items()},
    "pro:nouveau_mot_de_passe": {"new_password1": ["une phrase de passe bien longue"],
                                 "new_password2": ["une phrase de passe bien longue"]},
}
WIZARD = {
    "commune": {"commune": ["Le Puy-en-Velay"], "code_insee": ["43157"]},
    "enfants": {"enfants-0-date_naissance": ["2025-06-01"]},
    "besoin": {"a_partir_du": ["2027-01-04"], "jours_horaires": ["lundi au jeudi"]},
    "contact": {"prenom": ["Léa"], "nom": ["Martin"], "email": ["lea.martin@example.fr"],
                "telephone": ["06 12 34 56 78"], "moment_prefere": ["le matin"]},
    "message": {"message": ["Nous cherchons une place en crèche."]},
    "recapitulatif": {"consentement": ["on"]},
}
AJAX_ONLY = {"captcha-refresh"}  # answers 404 to a request without X-Requested-With


# Sending and judging -------------------------------------------------------------------------

def encode(values: dict[str, list]) -> str:
    return urlencode([(name, v) for name, vs in values.items() for v in vs])


@dataclass
class Fuzzer:
    client: Client
    failures: list[str] = field(default_factory=list)
    sent: int = 0
    surfaces: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # valid values a form refused: the fuzz would stop there
    logins: int = 0  # logins that worked (user_logged_in)
    sending: bool = False

    def send(self, method: str, url: str, values: dict[str, list] | None = None, *, what: str = "", address=None):
        """One request: a status of 500 or more, a traceback or an exception is recorded, never raised."""
        self.sent += 1
        # Each request from its own address, unless told: the rate limits (a 429 is fine) would stop the fuzz
        # before the views.
        address = address or f"10.{self.sent // 65536 % 256}.{self.sent // 256 % 256}.{self.sent % 256}"
        extra = {"REMOTE_ADDR": address}
        if route_of(url) in AJAX_ONLY:
            extra["HTTP_X_REQUESTED_WITH"] = "XMLHttpRequest"
        query = encode(values or {})
        self.sending = True
        try:
            if method == "get":
                response = self.client.get(f"{url}{'&' if '?' in url else '?'}{query}" if query else url, **extra)
            else:
                response = self.client.post(url, data=query, content_type="application/x-www-form-urlencoded", **extra)
            body = b"".join(response.streaming_content) if response.streaming else response.content
        except Exception as error:  # noqa: BLE001 (recorded with the others, the fuzz goes on)
            self.failures.append(f"{method.upper()} {url[:100]} {what} → {error!r}"[:400])
            return None
        finally:
            self.sending = False
        exc_info = getattr(response, "exc_info", None)
        if response.status_code >= 500 or b"Traceback (most recent call last)" in body or exc_info:
            cause = f" ({exc_info[0].__name__}: {str(exc_info[1])[:150]})" if exc_info else ""
            self.failures.append(f"{method.upper()} {url[:100]} {what} → {response.status_code}{cause}")
        if self.logins:
            self.logins = 0
            self.client.logout()  # a login form accepted: the next requests are anonymous again
        return response

    def logged_in(self, **kwargs):
        if self.sending:  # a login form, not the test's force_login
            self.logins += 1

    def fuzz(self, method: str, url: str, valid: dict[str, list], names: list[str], *, kinds=None, before=None,
             after=None):
        """The valid values (they must pass, else the fuzz stops short of the code); no field; each name hostile
        in turn or repeated, the others valid; all names hostile at once; too many fields."""
        kinds, started, first = kinds or {}, time.perf_counter(), self.sent

        def one(values, what):
            if before is not None:
                values = before(values)
            response = self.send(method, url, values, what=what)
            if after is not None and response is not None:
                after(response, what)

        response = self.send(method, url, before(dict(valid)) if before else valid, what="valeurs valides")
        if response is None or response.status_code >= 400:
            self.refused.append(f"{method.upper()} {url[:100]} → {getattr(response, 'status_code', None)}")
        one({}, "sans aucun champ")
        for name in names:
            holds_number = kinds.get(name) in CHOICE_KINDS or all(NUMBER_LIKE.match(v) for v in valid.get(name, []))
            for label, value in text_values(str((valid.get(name) or [""])[0])) + (NUMBERS if holds_number else []):
                one({**valid, name: [value]}, f"{name}={label} {_text(value)}")
            one({**valid, name: (valid.get(name) or ["1"]) * 2}, f"{name} répété")
        for label, value in ALL_AT_ONCE:
            one({name: [value] for name in names}, f"tous les champs={label} {_text(value)}")
        one({name: ["1", "' OR 1=1", ""] for name in names}, "tous les champs répétés, valeurs différentes")
        one({"x": ["1"] * (django_settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}, "trop de champs")
        self.surfaces.append(f"{method.upper()} {url[:70]}: {len(names)} champs, {self.sent - first} requêtes, "
                             f"{time.perf_counter() - started:.1f} s")

    def assert_clean(self):
        print("", *self.surfaces, f"{self.sent} requêtes", sep="\n")
        report = "\n".join(self.failures[:100])
        more = f"\n… et {len(self.failures) - 100} autres" if len(self.failures) > 100 else ""
        assert not self.failures, f"{len(self.failures)} erreurs serveur sur {self.sent} requêtes :\n{report}{more}"
        assert not self.refused, f"Valeurs valides refusées, le fuzz n'atteint pas le code : {self.refused}"


@pytest.fixture(autouse=True)
def _templates_rendered_as_in_production(monkeypatch):
    """The test environment's rendering keeps a copy of every template's context for `response.context`; the
    fuzz reads none, and that copy is a seventh of its time: the production rendering, for this module only."""
    from django.template.base import Template
    from django.test.utils import _TestState

    monkeypatch.setattr(Template, "_render", _TestState.saved_data.template_render)


@pytest.fixture
def fuzzer(caplog):
    # Thousands of 4xx, as they should be: logged at WARNING (and django.security's 400s at ERROR), they cost
    # a tenth of the time. A 500 is still logged (django.request, ERROR) and listed by the fuzzer.
    caplog.set_level(logging.ERROR, logger="django.request")
    caplog.set_level(logging.CRITICAL, logger="django.security")
    caplog.set_level(logging.ERROR, logger="axes")
    fuzzer = Fuzzer(Client(raise_request_exception=False))
    user_logged_in.connect(fuzzer.logged_in, dispatch_uid="fuzz")
    yield fuzzer
    user_logged_in.disconnect(dispatch_uid="fuzz")


def _fresh_captcha(values: dict[str, list]) -> dict[str, list]:
    """A new challenge for each request, answered (django-simple-captcha: `<name>_0` key, `<name>_1` answer)."""
    for name in [n for n in values if n.endswith("_0") and f"{n[:-2]}_1" in values]:
        key = CaptchaStore.generate_key()
        values = {**values, name: [key], f"{name[:-2]}_1": [CaptchaStore.objects.get(hashkey=key).response]}
    return values


def _with_captcha(form: Form, before=None):
    """`before` for a form that holds a captcha (a hidden key whose answer is known to the server)."""
    if not any(n.endswith("_0") and CaptchaStore.objects.filter(hashkey=str(v[0])).exists()
               for n, v in form.fields.items() if v):
        return before
    return (lambda values: _fresh_captcha(before(values))) if before else _fresh_captcha


def _follow(fuzzer: Fuzzer):
    """What a form accepted is shown on the next page: read it too."""
    def after(response, what):
        location = response.get("Location", "") if response.status_code in (301, 302, 303) else ""
        parts = urlsplit(location)
        if location and parts.netloc in ("", "testserver") and not parts.path.startswith(django_settings.LOGIN_URL):
            fuzzer.send("get", location, what=f"page suivante de {what}")

    return after


def crawl(client: Client, site: Site) -> tuple[list[Form], dict[str, set[str]], list[str]]:
    """The public pages (anonymous, what answers 200 or an API's 400), their forms and the query names
    of their links."""
    forms, linked, public = [], {}, []
    for url in site.pages():
        extra = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"} if route_of(url) in AJAX_ONLY else {}
        response = client.get(url, follow=True, **extra)  # the password link moves its token to the session
        if response.streaming:  # a file (the favicon): read through the client's wrapper, which closes it
            b"".join(response.streaming_content)  # without closing the test's database connection
        landed = response.redirect_chain[-1][0] if response.redirect_chain else url
        client.cookies.clear()
        if response.status_code not in (200, 400) or route_of(landed) != route_of(url):  # not the login page
            continue
        public.append(url)
        if "html" not in response.get("Content-Type", ""):
            continue
        forms += forms_of(response.content, urljoin(f"http://testserver{url}", landed))
        for href in lxml.html.fromstring(response.content).xpath("//a/@href"):
            parts = urlsplit(urljoin(url, href))
            if parts.netloc in ("", "testserver") and parts.query and (route := route_of(parts.path)):
                linked.setdefault(route, set()).update(re.findall(r"(?:^|&)([^=&]+)=", parts.query))
    return forms, linked, public


# The tests -----------------------------------------------------------------------------------

def test_every_route_is_fuzzed(site):
    """A route without parameter is fuzzed by itself; one with a parameter needs a real address above."""
    concrete = site.concrete_urls()
    for pattern, name, _ in routes():
        assert not has_parameter(pattern) or name in concrete, f"Donnez une adresse réelle de {name} ({pattern})"


def test_the_scan_finds_the_documented_parameters():
    """The source scan sees at least what README.md promises partners (else the scan is broken, not the API)."""
    views = {name: view for _, name, view in routes()}
    for name, documented in documented_names().items():
        assert documented <= query_names(views[name]), name
    assert "departement" in query_names(views["pro:demande_habilitation"])  # through the form built on the query


def test_fuzz_query_parameters(site, fuzzer):
    """Every query parameter of every public route: read by the view, documented, linked or sent by a GET form."""
    forms, linked, public = crawl(fuzzer.client, site)
    documented = documented_names()
    targets: dict[str, tuple[str, dict[str, list], set[str]]] = {}  # route -> address, defaults, names
    for url in public:
        name = route_of(url)
        names = query_names(resolve(urlsplit(url).path).func) | documented.get(name, set()) | linked.get(name, set())
        targets.setdefault(name, (url.split("?")[0], {}, names))
    for form in forms:
        if form.method == "get" and (name := route_of(form.action)) in targets:
            url, defaults, names = targets[name]
            targets[name] = (url, {**defaults, **form.fields}, names | set(fuzzed_names(form)))
    assert {"structures:recherche", "structures:api_structures", "structures:api_communes", "simulateur:api_creche",
            "structures:avip", "guide:index", "pro:demande_habilitation"} <= {k for k, t in targets.items() if t[2]}
    for name, (url, defaults, names) in targets.items():
        if not names:
            fuzzer.send("get", url, {"inconnu": ["\x00"], "page": [str(2**70)]}, what="paramètres inconnus")
        first, *others = VALID_QUERY.get(name, [{}]) if names else [None]
        if first is not None:
            fuzzer.fuzz("get", url, {**defaults, **first}, sorted(names))
        for valid in others:  # read only in this set: the rest was fuzzed above
            fuzzer.fuzz("get", url, {**defaults, **valid}, sorted(valid))
    fuzzer.assert_clean()


def test_fuzz_forms(site, fuzzer):
    """Every form of the public pages sent by POST, once each; what a form accepts is read on the next page."""
    forms, _, _ = crawl(fuzzer.client, site)
    seen = set()
    for form in forms:
        name = route_of(form.action)
        if form.method != "post" or name in seen or name in ("demandes:debut", "demandes:etape"):  # the wizard: below
            continue
        seen.add(name)
        valid = {**form.fields, **VALID_POST.get(name, {})}
        if name == "pro:demande_habilitation":
            valid["structures"] = [str(site.linf.pk)]
        before = None
        if name == "pro:nouveau_mot_de_passe":
            def before(values):  # the set-password form is reached through a fresh link each time
                fuzzer.client.get(site.reset_link())
                return values
        fuzzer.fuzz("post", form.action, valid, fuzzed_names(form), kinds=form.kinds,
                    before=_with_captcha(form, before), after=_follow(fuzzer))
    assert {"simulateur:simulateur", "pro:connexion", "pro:mot_de_passe_oublie", "pro:demande_habilitation",
            "pro:nouveau_mot_de_passe"} <= seen  # the back office logs in on /pro/connexion/
    fuzzer.assert_clean()


def _walk_wizard(fuzzer: Fuzzer) -> tuple[list[tuple[str, Form, dict]], dict]:
    """The families' demande, step by step with valid answers up to its confirmation: each step's form,
    its valid values, and the session as it was just before the demande was sent."""
    client, url, steps, session = fuzzer.client, "/demande-information/", [], {}
    while route_of(url) in ("demandes:debut", "demandes:etape"):
        page = client.get(url)
        assert page.status_code == 200, url
        form = next(f for f in forms_of(page.content, f"http://testserver{url}") if f.method == "post")
        valid = {**form.fields, **WIZARD.get(resolve(url).kwargs.get("etape", "commune"), {})}
        steps.append((form.action, form, valid))
        session = dict(client.session.items())
        response = fuzzer.send("post", form.action, valid, what="valeurs valides")
        assert response.status_code == 302, (url, response.content.decode()[:2000])
        url = response["Location"]
    assert route_of(url) == "demandes:confirmation" and len(steps) >= 7
    return steps, session


def test_fuzz_demande_wizard(site, fuzzer):
    """Each step of the families' demande, the steps before it answered; what a step accepts goes on to
    the recap, is sent, and its confirmation and PDF are read; then the LINF reads and exports them all."""
    client = fuzzer.client
    steps, session = _walk_wizard(fuzzer)
    recap_url = steps[-1][0]

    def restore(values):  # every step answered, as before the demande was sent
        store = client.session
        store.clear()
        store.update(copy.deepcopy(session))
        store.save()
        return values

    def send_on(next_url):
        def after(response, what):  # the step accepted the value: on to the recap, sent, read back
            if response.status_code != 302 or response["Location"] != next_url:
                return
            fuzzer.send("get", recap_url, what=f"récapitulatif après {what}")
            sent = fuzzer.send("post", recap_url, WIZARD["recapitulatif"], what=f"envoi après {what}")
            if sent is not None and sent.status_code == 302 and route_of(sent["Location"]) == "demandes:confirmation":
                fuzzer.send("get", f"{sent['Location']}pdf/", what=f"PDF après {what}")  # the page shows only the email

        return after

    for (url, form, valid), (next_url, _, _) in zip(steps, [*steps[1:], (None, None, None)], strict=True):
        after = send_on(urlsplit(next_url).path) if next_url else _follow(fuzzer)
        fuzzer.fuzz("post", url, valid, fuzzed_names(form), kinds=form.kinds, before=restore, after=after)

    # What the families sent, read and exported by the LINF person who receives it.
    client.force_login(site.person)
    references = list(Demande.objects.values_list("reference", flat=True))
    assert len(references) > 50, "the hostile values the steps accept are sent"
    read = [fuzzer.send("get", "/pro/demandes/", what="liste du LINF")]
    for reference in references:
        read.append(fuzzer.send("get", f"/pro/demandes/{reference}/", what="demande ouverte par le LINF"))
    for fmt in ("xml", "pdf"):
        read.append(fuzzer.send("post", "/pro/demandes/export/", {"references": references, "format": [fmt]},
                                what=f"export {fmt}"))
    fuzzer.surfaces.append(f"{len(references)} demandes envoyées, lues et exportées par le LINF")
    fuzzer.assert_clean()
    assert {getattr(r, "status_code", None) for r in read} == {200}


def test_rate_limits_and_lockouts_answer_429_not_500(site, fuzzer, settings):
    """From one address, the families' demande is limited; after failures, a login is locked: with hostile
    values too, the answer is a 429."""
    settings.AXES_FAILURE_LIMIT = 2
    statuses = []
    for url in ("/pro/connexion/",):  # the back office's login sends there
        for label, value in [*TEXT, ("adresse électronique de 301 caractères", LONG_EMAIL)]:
            for attempt in range(3):  # the third is locked
                response = fuzzer.send("post", url, {"username": [value], "password": [value]},
                                       what=f"verrou, username et password={label}, essai {attempt + 1}")
                statuses.append(getattr(response, "status_code", None))
    steps, session = _walk_wizard(fuzzer)
    store = fuzzer.client.session
    for attempt in range(8):
        store.update(copy.deepcopy(session))
        store.save()
        response = fuzzer.send("post", steps[-1][0], {"consentement": ["on"]}, what=f"envoi {attempt + 1}",
                               address="10.255.255.1")
        statuses.append(getattr(response, "status_code", None))
    fuzzer.assert_clean()
    # Each login spelled as an address is locked at its third try, the families' sixth demande is refused.
    assert statuses.count(429) >= 4, "the limits answered"


PATH_VALUES = [  # what replaces a path parameter, percent-encoded
    ("0", "0"), ("-1", "-1"), ("2**63", str(2**63)), ("2**70", str(2**70)), ("5000 chiffres", "9" * 5000),
    ("100 000 caractères", HUGE), ("NUL", "\x00"), ("caractères de contrôle", "a\x01\x1b\r\n"),
    ("surrogat isolé, UTF-8 invalide", b"\xed\xa0\x80\xff"), ("unicode", "\u202e👶🏽e\u0301"),
    ("SQL", "' OR '1'='1"), ("point point", ".."), ("espace", " "), ("lettres accentuées", "éé"),
]


def test_fuzz_path_parameters(site, fuzzer):
    """Each parameter of each route's path, the others real, by GET and POST: ids beyond 64 bits, negative,
    tokens and codes of garbage."""
    concrete = site.concrete_urls()
    for pattern, name, _ in routes():
        if not has_parameter(pattern):
            continue
        url = concrete[name]
        for argument, real in resolve(url).captured_kwargs.items():
            start = url.index(f"/{real}") + 1
            for label, value in PATH_VALUES:
                raw = value if isinstance(value, bytes) else value.encode()
                hostile = url[:start] + quote_from_bytes(raw, safe="") + url[start + len(f"{real}"):]
                for method in ("get", "post"):
                    fuzzer.send(method, hostile, what=f"{argument}={label}")
    fuzzer.assert_clean()
