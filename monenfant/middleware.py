"""Middleware of our own: WhiteNoise without the build's bookkeeping files, and private pages never stored.

`staticfiles.json` (the manifest of every hashed name) lives in STATIC_ROOT because Django's manifest
storage reads it there, but no page needs it: it is not served.
"""

from django.utils.cache import add_never_cache_headers
from whitenoise.middleware import WhiteNoiseMiddleware

NOT_SERVED = ("staticfiles.json",)


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    def add_file_to_dictionary(self, url, path, stat_cache=None):
        if url.rsplit("/", 1)[-1] not in NOT_SERVED:
            super().add_file_to_dictionary(url, path, stat_cache=stat_cache)

    def find_file(self, url):  # DEBUG: files are looked up at each request
        return None if url.rsplit("/", 1)[-1] in NOT_SERVED else super().find_file(url)


# Where pages and files carry a family's or a person's data: never kept by a browser or a proxy (the
# back button on a shared computer, a cache on the way).
PRIVATE_PREFIXES = ("/pro/", "/demande-information/", "/administration/")


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(PRIVATE_PREFIXES):
            add_never_cache_headers(response)
        return response
