"""The 500 and 400 pages: French, in the site's layout, and without the database (no django_db here:
any query would fail the test, as the page must come when the database is down)."""


def test_the_500_page_is_french_and_needs_no_database(rf):
    """Django renders it without the request's context; here the database is out of reach (no
    django_db mark), as when it is down: the page still comes."""
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "Le site rencontre un problème" in html and "fr-header" in html and 'name="viewport"' in html


def test_a_bad_request_is_a_french_400(rf):
    from django.core.exceptions import SuspiciousOperation
    from django.views.defaults import bad_request

    response = bad_request(rf.get("/"), SuspiciousOperation())
    assert response.status_code == 400 and "Demande incorrecte" in response.content.decode()
