"""The Content-Security-Policy (django-csp, settings.CONTENT_SECURITY_POLICY) on every kind of page, and
nothing in our templates, our HTML built in Python or our scripts that it would refuse: no inline script
(no <script> with content, no on…="" handler, no javascript: link), no inline style (no <style>, no
style=""). The browser tests fail on any refusal it logs (conftest.BrowserWatch, test_e2e_rendu)."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from habilitations.enums import Role
from habilitations.tests.factories import make_person
from structures.tests.factories import CommuneFactory, StructureFactory

ROOT = Path(settings.BASE_DIR)
NOT_OURS = {".venv", "node_modules", "staticfiles", "var", "test-artifacts", ".git"}
TILES = "https://tile.openstreetmap.org"


def policy(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy")
    assert header, f"pas d'en-tête Content-Security-Policy ({response.status_code})"
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


@pytest.fixture
def creche():
    return StructureFactory(nom="Crèche du Puy", commune=CommuneFactory(code_insee="43157"), creche=True)


@pytest.mark.django_db
def test_every_kind_of_page_carries_the_policy_without_unsafe_inline(client, creche):
    pages = {
        "/": 200, "/recherche/?code_insee=43157": 200, f"/structures/{creche.pk}/": 200, "/guide/": 200,
        "/demande-information/etape/commune/": 200, "/simulateur/": 200, "/pro/connexion/": 200,
        # The back office's login is the professionals' one.
        "/administration/": 302, "/pro/connexion/?next=/administration/": 200, "/cette-page-n-existe-pas/": 404, "/api/communes/?q=puy": 200,
        "/api/structures/?commune=43157&rayon_km=10&rubrique=EAJE": 200,
    }
    responses = {path: client.get(path) for path in pages}
    client.force_login(make_person(Role.CNAF_ADMIN, email="cnaf@example.fr"))
    change = f"/administration/structures/structure/{creche.pk}/change/"
    pages[change] = 200
    responses[change] = client.get(change)
    for path, response in responses.items():
        assert response.status_code == pages[path], path
        directives = policy(response)
        assert directives["default-src"] == ["'self'"], path
        assert directives["script-src"] == ["'self'"], path
        assert directives["style-src"] == ["'self'"], path
        assert set(directives["img-src"]) == {"'self'", "data:", TILES}, path
        assert directives["connect-src"] == ["'self'"], path
        assert directives["frame-ancestors"] == ["'none'"], path
        assert directives["object-src"] == ["'none'"], path
        assert directives["base-uri"] == ["'self'"] and directives["form-action"] == ["'self'"], path
        assert "unsafe" not in response.headers["Content-Security-Policy"], path
        # The headers of before stay.
        assert response.headers["X-Frame-Options"] == "DENY", path
        assert response.headers["X-Content-Type-Options"] == "nosniff", path
        assert response.headers["Referrer-Policy"] == "same-origin", path


def our_files(pattern: str, *, folder: str = "") -> list[Path]:
    return sorted(path for path in (ROOT / folder).rglob(pattern)
                  if not NOT_OURS & set(path.relative_to(ROOT).parts) and "tests" not in path.parts)


def templates() -> list[Path]:
    # Under pdf/: WeasyPrint's page layouts (a <style> for @page), rendered on the server, never sent to a browser.
    return [path for path in our_files("*.html") if "templates" in path.parts and "pdf" not in path.parts]


# An attribute inside a tag (`style="…"`, `onchange="…"`), a <style> element, a javascript: link.
STYLE_ATTRIBUTE = re.compile(r"<[a-zA-Z][^>]*\sstyle\s*=", re.IGNORECASE)
INLINE_STYLE = re.compile(STYLE_ATTRIBUTE.pattern + r"|<style[\s>]", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"<[a-zA-Z][^>]*\son[a-z]+\s*=|href\s*=\s*[\"']?\s*javascript:", re.IGNORECASE)
SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.IGNORECASE | re.DOTALL)


def inline_scripts(text: str) -> list[str]:
    """<script> elements the policy would refuse: with content, unless a data block (json_script)."""
    return [match.group(0)[:80] for match in SCRIPT.finditer(text)
            if match.group(2).strip() and "application/json" not in match.group(1)]


def test_the_scan_finds_what_the_policy_refuses():
    assert INLINE_STYLE.search('<div class="a" style="color: red">') and INLINE_STYLE.search("<style>p {}</style>")
    assert INLINE_HANDLER.search('<select id="lieu" onchange="this.form.submit()">')
    assert INLINE_HANDLER.search('<a href="javascript:void(0)">') and not INLINE_HANDLER.search("JavaScript: activez-le")
    assert inline_scripts("<script>alert(1)</script>") and not inline_scripts('<script src="/a.js" defer></script>')
    assert not inline_scripts('<script id="d" type="application/json">{"a": 1}</script>')
    assert not INLINE_STYLE.search('<p class="mf-style">') and not INLINE_HANDLER.search('<input name="one">')


def test_no_template_has_an_inline_script_or_style():
    found = []
    scanned = templates()
    assert len(scanned) > 50, "les gabarits ne sont plus trouvés"
    for path in scanned:
        text = path.read_text()
        name = path.relative_to(ROOT)
        found += [f"{name}: style" for _ in INLINE_STYLE.finditer(text)]
        found += [f"{name}: {m.group(0)[:60]}" for m in INLINE_HANDLER.finditer(text)]
        found += [f"{name}: {script}" for script in inline_scripts(text)]
    assert not found, "\n".join(found)


def test_no_html_written_in_python_has_an_inline_style_or_handler():
    """format_html in the admin (a badge, a preview): a class of css/admin.css, not a style=""."""
    found = [f"{path.relative_to(ROOT)}: {m.group(0)[:60]}" for path in our_files("*.py")
             if "migrations" not in path.parts
             for m in (*STYLE_ATTRIBUTE.finditer(path.read_text()), *INLINE_HANDLER.finditer(path.read_text()))]
    assert not found, "\n".join(found)


def test_our_scripts_write_no_inline_style_and_evaluate_no_text():
    """Positions through element.style (the CSSOM) are allowed; a style attribute, a <style> or eval are not."""
    refused = re.compile(r"setAttribute\(\s*['\"]style|style\s*=\s*\\?['\"]|<style|\beval\(|new Function\(")
    found = [f"{path.relative_to(ROOT)}: {m.group(0)}" for path in our_files("*.js", folder="static")
             for m in refused.finditer(path.read_text())]
    assert not found, "\n".join(found)
