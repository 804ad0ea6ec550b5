"""The client's address behind the load balancer: `X-Forwarded-For` is believed only from the proxies the
`TRUSTED_PROXIES` setting names, read from the right (each trusted proxy appends the address it saw), and the
first address that is not a trusted proxy is the client. Anybody else's header is ignored: a family cannot
choose its own address to escape a rate limit, nor put someone else's in the logs."""

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def _reseaux(proxies: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(p, strict=False) for p in proxies)


def _adresse(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _de_confiance(adresse) -> bool:
    return any(adresse in reseau for reseau in _reseaux(tuple(settings.TRUSTED_PROXIES)))


def client_ip(request) -> str:
    """Used by the rate limits (RATELIMIT_IP_META_KEY), axes (AXES_CLIENT_IP_CALLABLE) and the access log."""
    remote = request.META.get("REMOTE_ADDR", "") or "0.0.0.0"  # noqa: S104 (a Unix socket: no address)
    adresse = _adresse(remote)
    if adresse is None or not _de_confiance(adresse):
        return remote
    for valeur in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        suivante = _adresse(valeur)
        if suivante is None:
            break  # garbage in the header: stop at the last address a trusted proxy vouched for
        adresse = suivante
        if not _de_confiance(adresse):
            break
    return str(adresse)
