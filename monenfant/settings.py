"""Settings for monenfant, read from the environment (django-environ).

Every variable is documented in README.md. Without any, the project runs embedded:
SpatiaLite in var/, Celery tasks in-process, emails written to var/emails/.
"""

import shutil
import sys
from pathlib import Path

import environ
from celery.schedules import crontab
from django_guid.integrations import CeleryIntegration

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
# make run / make test write a .env holding a random SECRET_KEY; the real environment wins.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "monenfant.apps.MonenfantAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "django.contrib.humanize",
    "dsfr",
    "widget_tweaks",
    "simple_history",
    "axes",
    "captcha",
    "django_fsm",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_guid",
    "notifications",
    "compteurs",
    "sauvegardes",
    "structures",
    "simulateur",
    "habilitations",
    "linf",
    "demandes",
    "guide",
    "familles",
    "benchmarks",
]

# The back-office kit (backoffice/) names no app: the project tells it how the index groups the
# models, as CAF agents know them rather than one per Django app, and what a territory is made of.
BACKOFFICE_SECTIONS = [
    ("Gestion des structures", ["Structure", "ImportFiches"]),
    ("Gestion des organismes", ["Organisme", "User"]),
    ("Gestion des habilitations", ["DemandeHabilitation", "ModeleDocument"]),
    ("Gestion des demandes d'information", ["Demande"]),
    ("Contrats CAF–CNAF", ["ContratCafCnaf"]),
    ("Pilotage et statistiques", ["ObjectifCouverture", "BesoinsOffre", "UsageDuSite", "ControleConnexions",
                                  "Notification"]),
    ("Information des familles", ["InitiativeLocale", "PageGuide", "PageLegale", "InformationsEditeur"]),
    ("Référentiel", ["Caf", "Commune", "Bareme"]),
    ("Journal des connexions", ["AccessLog", "AccessFailureLog", "AccessAttempt"]),
]
BACKOFFICE_TERRITOIRE = "structures.Departement"
# The usage counters (compteurs/) write to this table.
COMPTEURS_USAGE_MODEL = "structures.CompteurUsage"

AUTH_USER_MODEL = "habilitations.User"
AUTHENTICATION_BACKENDS = [
    # Lockout after repeated failures, then the usual email + password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
# The families' form is limited per address; off only for a load test from one address.
RATELIMIT_ENABLE = env.bool("RATELIMIT_ENABLE", default=True)
# A counter Redis cannot give back (Redis stopped) lets the request through: a family must be able to send
# its demande during an outage (the readiness probe reports Redis down).
RATELIMIT_FAIL_OPEN = True
# The proxies (load balancers) whose X-Forwarded-For is believed, as addresses or networks; nobody else's
# (monenfant.reseau.client_ip). Rate limits count in the cache (Redis, shared by every app server, when
# REDIS_URL is set); lockouts in the database.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
RATELIMIT_IP_META_KEY = "monenfant.reseau.client_ip"
RATELIMIT_USE_CACHE = "default"
AXES_CLIENT_IP_CALLABLE = "monenfant.reseau.client_ip"
AXES_USERNAME_FORM_FIELD = "username"
# One identity whatever the spelling typed ("ASSMAT64@…", " assmat64@…"): locked, logged and counted once.
AXES_USERNAME_CALLABLE = "habilitations.models.axes_username"
AXES_LOCKOUT_TEMPLATE = "habilitations/verrouille.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # failures are part of the CAF connection log
# History is read in the back office, never replayed: a revert would bypass the forms' checks.
SIMPLE_HISTORY_REVERT_DISABLED = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=4 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
LOGIN_URL = "/pro/connexion/"
LOGIN_REDIRECT_URL = "/pro/"
LOGOUT_REDIRECT_URL = "/"
# Reset and activation links: single use, valid three days.
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600
# The name authenticator apps show beside the six-digit code.
OTP_TOTP_ISSUER = "monenfant"
CAPTCHA_FONT_SIZE = 32
CAPTCHA_LENGTH = 5
# The library shows its audio link when this is set; monenfant.captcha_audio answers it with espeak-ng.
CAPTCHA_FLITE_PATH = shutil.which("espeak-ng")
CAPTCHA_AUDIO_VITESSE = 120  # words a minute: slower than speech, letters stay distinct

MIDDLEWARE = [
    # The request id (X-Request-ID read, or made, and returned), then one log line per request.
    "django_guid.middleware.guid_middleware",
    "monenfant.logs.AccessLogMiddleware",
    # /sante/ and /sante/pret/ answer here: before the https redirect and the host check (the load balancer's probes).
    "monenfant.sante.SondesMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",  # Content-Security-Policy (CONTENT_SECURITY_POLICY below)
    "monenfant.middleware.StaticFilesMiddleware",  # WhiteNoise
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # The second factor, then a password that must change, before any private page.
    "habilitations.middleware.AccessStepsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "monenfant.middleware.NoStoreMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "monenfant.urls"
WSGI_APPLICATION = "monenfant.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            # French dates and plurals in every template, e-mails included.
            "builtins": ["monenfant.filtres"],
        },
    },
]

# Concurrent families on the embedded database: WAL lets reads go on during a write, writers
# queue for the lock (IMMEDIATE, busy timeout) instead of failing with "database is locked".
SPATIALITE_OPTIONS = {
    "timeout": 30, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}
DATABASES = {
    "default": env.db(
        "DATABASE_URL", default=f"spatialite:///{VAR_DIR / 'db.sqlite3'}"
    ),
}
# Only for the test that compares SpatiaLite and PostGIS on the same searches.
if env.str("POSTGIS_COMPARE_URL", default=""):
    DATABASES["postgis"] = env.db("POSTGIS_COMPARE_URL")
    DATABASES["postgis"]["TEST"] = {"NAME": "test_monenfant_compare"}
for _db in DATABASES.values():
    if "spatialite" in _db["ENGINE"]:
        _db.setdefault("OPTIONS", {}).update(SPATIALITE_OPTIONS)
        # Tests: in memory, as Django does for SQLite; said explicitly so that pytest-xdist's workers
        # do not derive a file name from NAME for the SpatiaLite engine.
        _db.setdefault("TEST", {"NAME": ":memory:"})
    if "postgis" in _db["ENGINE"]:
        _db.setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
        _db.setdefault("CONN_HEALTH_CHECKS", True)
        # No JIT: it compiles any plan whose estimated cost crosses 100,000 — a search ranked by fit around
        # Paris — and spent 445 ms doing so for a query that runs in 240 ms. A web request never repays it.
        _db.setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            # Redis stopped: misses and dropped writes, never an error page (monenfant/cache.py).
            "BACKEND": "monenfant.cache.TolerantRedisCache",
            "LOCATION": REDIS_URL,
            # A Redis that hangs costs a request half a second at most.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: Redis when configured, otherwise tasks run in-process (the embedded default).
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = "Europe/Paris"
# Broker down: give up publishing quickly, the row waits in the outbox and flush_outbox sends it later;
# a family must not wait for Redis.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
# A task is acknowledged when it ends, not when a worker takes it: a worker that dies leaves it to another
# (the outbox's lease keeps an email from going twice); one task at a time per process, so nothing waits
# behind a long one. Every task has time limits (the import of a large list sets its own).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=15 * 60)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=16 * 60)
# Redis hands an unacknowledged message to another worker after this: above the longest retry delay of the
# outbox (notifications.tasks.DELAI_MAX, 64 min) and the longest task, so a waiting retry is not run twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * 3600}
# Every periodic task, in one place (celery beat: exactly one in production).
CELERY_BEAT_SCHEDULE = {
    "rappel-disponibilites": {"task": "habilitations.tasks.remind_stale_availability", "schedule": 24 * 3600},
    "boite-d-envoi": {"task": "notifications.tasks.flush_outbox", "schedule": 60},
    "purge-des-demandes": {"task": "demandes.tasks.purge_demandes", "schedule": 24 * 3600},
    # Habilitation requests refused, or left without a convention, that have had their time.
    "purge-des-habilitations": {"task": "habilitations.tasks.purge_habilitations", "schedule": 24 * 3600},
    "rappel-des-demandes-en-retard": {"task": "demandes.tasks.remind_overdue_demandes", "schedule": 24 * 3600},
    "fin-des-conventions": {"task": "linf.tasks.end_conventions", "schedule": crontab(hour=0, minute=5)},
    # Usage counters buffered in Redis reach the dashboards within a minute.
    "compteurs-d-usage": {"task": "compteurs.tasks.flush_usage", "schedule": 60},
    # After the conventions ending today, so that the day's snapshot sees their guichets closed.
    "instantane-couverture": {"task": "linf.tasks.snapshot_couverture", "schedule": crontab(hour=0, minute=30)},
    # The national view of "Besoins et offre" reads this nightly rollup.
    "recapitulatif-besoins": {"task": "demandes.tasks.rollup_besoins", "schedule": crontab(hour=1, minute=0)},
    # Families' alerts: a place that opens reaches them within the hour (at most one email a day each).
    "alertes-de-places": {"task": "familles.tasks.envoyer_les_alertes", "schedule": 900},
    "purge-des-alertes": {"task": "familles.tasks.purger_les_alertes", "schedule": 24 * 3600},
    # Expired sessions, and the search address a family kept in one, do not stay in the database.
    "sessions-expirees": {"task": "structures.tasks.clear_expired_sessions", "schedule": 3600},
    # The open data files of /donnees/, dated of the day.
    "donnees-ouvertes": {"task": "structures.tasks.publier_donnees_ouvertes", "schedule": crontab(hour=2, minute=0)},
    # The nightly backup, kept 30 days (sauvegardes.services).
    "sauvegarde": {"task": "sauvegardes.tasks.sauvegarder_la_base", "schedule": crontab(hour=3, minute=0)},
}
# Backups: a folder of their own (another disk, or copied off the machine, in production), kept this many days.
SAUVEGARDES_DIR = env.path("SAUVEGARDES_DIR", default=str(VAR_DIR / "sauvegardes"))
SAUVEGARDES_JOURS = env.int("SAUVEGARDES_JOURS", default=30)
# pg_dump of the server's major version (the newest installed by default).
PG_DUMP = env.str("PG_DUMP", default=next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_dump"),
                                                      key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0,
                                                      reverse=True)), "pg_dump"))
# Where the open data files are written and read: one folder shared by the worker and the app servers
# (or served by nginx, docs in README).
DONNEES_OUVERTES_DIR = env.path("DONNEES_OUVERTES_DIR", default=str(VAR_DIR / "donnees-ouvertes"))

EMAIL_CONFIG = env.email_url("EMAIL_URL", default=f"filemail:///{VAR_DIR / 'emails'}")
vars().update(EMAIL_CONFIG)
# Seconds for each exchange with the SMTP relay: a relay that hangs holds a worker that long, never a lock.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
# Absolute links in emails (activation, reminders).
# Links in emails point where the site is served: `PORT=8080 make run` serves on 8080.
SITE_URL = env.str("SITE_URL", default=f"http://127.0.0.1:{env.int('PORT', default=8000)}").rstrip("/")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="monenfant <ne-pas-repondre@monenfant.localhost>")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "habilitations.passwords.LettersAndDigitsValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr-fr"
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Leaflet comes pinned from the npm registry (package-lock.json), served from our static files.
    ("vendor/leaflet", BASE_DIR / "node_modules" / "leaflet" / "dist"),
]
# django-dsfr writes the upstream digests of its files as SRI; WhiteNoise's manifest rewrites their url()
# lines, so Chromium refused the stylesheets. We serve those files ourselves: SRI guards nothing here.
DSFR_USE_INTEGRITY_CHECKSUMS = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Security: SITE_HTTPS=on in production (TLS ends at the load balancer, which sets X-Forwarded-Proto).
# Not "HTTPS": that is the CGI flag, which runserver's wsgiref copies from the environment into every
# request, so plain HTTP would look secure.
SITE_HTTPS = env.bool("SITE_HTTPS", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if SITE_HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
# Debian 12 ships GDAL 3.6; we never read spatial references supplied by users.
SILENCED_SYSTEM_CHECKS = [
    "gis.W001",
    # NULLS NOT DISTINCT on the anonymous counts: PostgreSQL needs it (concurrent first demandes of a
    # category); SQLite ignores it and needs it not, its writers are serialized.
    "models.W047",
    # Lockout by account on purpose: the agents of a CAF share one address behind its proxy,
    # locking by address would lock them all out at once.
    "axes.W006",
]
if SITE_HTTPS and not SECURE_HSTS_PRELOAD:
    # Preloading is a commitment for the whole domain, taken by whoever runs production.
    SILENCED_SYSTEM_CHECKS.append("security.W021")

# Content-Security-Policy (django-csp): scripts and styles only from our own static files, never
# inline (no 'unsafe-inline': a template has no <script> with content, no <style>, no style="" and no
# on…="" handler; monenfant/tests/test_csp.py). Leaflet's positions through element.style are allowed
# (the CSSOM is not an inline style). To add a source: README, Sécurité.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # data: for the DSFR's and Leaflet's small images written in their CSS; the map tiles.
        "img-src": ["'self'", "data:", "https://tile.openstreetmap.org"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],  # the communes' autocomplete and the back office's maps call our API
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

# Geocoding with the Base Adresse Nationale (geopy BANFrance). Tests point BAN_URL at a fake
# server on loopback; a short timeout so that geocoding never holds a page for long.
BAN_URL = env.str("BAN_URL", default="https://api-adresse.data.gouv.fr")
GEOCODER_TIMEOUT = env.float("GEOCODER_TIMEOUT", default=2.0)
GEOCODER_ENABLED = env.bool("GEOCODER_ENABLED", default=True)

# Where the reference data files are read from (../shared/data beside the clone), and where
# the official source is downloaded from when that folder is absent.
REFERENCE_DATA_DIR = Path(env.str("REFERENCE_DATA_DIR", default=str(BASE_DIR.parent / "shared" / "data")))
DECOUPAGE_DATA_DIR = BASE_DIR / "node_modules" / "@etalab" / "decoupage-administratif" / "data"

# Paths whose rest is a secret (activation and reset links, an habilitation's follow-up): masked in logs.
SECRET_URL_PREFIXES = ["/pro/nouveau-mot-de-passe/", "/pro/habilitation/suivi/", "/demande-information/suivi/",
                       "/alertes/"]

# One line per record: time, level, logger, the request id (django-guid; "-" outside a request or a
# task) and the message. Each request writes one line (monenfant.acces: method, path without query
# string nor secret, status, ms); a task's lines carry the id of the request that queued it.
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO").upper()
DJANGO_GUID = {
    "GUID_HEADER_NAME": "X-Request-ID",
    "VALIDATE_GUID": True,  # a value that is not a UUID is replaced (monenfant.logs.REQUEST_ID)
    "INTEGRATIONS": [CeleryIntegration(use_django_logging=True, log_parent=True)],
}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # On the handler, every line whatever its logger: no secret path, no query string (monenfant.logs).
    "filters": {"secrets": {"()": "monenfant.logs.RedactSecrets"}, "request_id": {"()": "monenfant.logs.RequestIdFilter"}},
    "formatters": {"ligne": {"format": "%(asctime)s %(levelname)s %(name)s [%(correlation_id)s] %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "level": LOG_LEVEL, "filters": ["secrets", "request_id"],
                    "formatter": "ligne"},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "axes": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"},
        # Its own lines would echo a client's X-Request-ID, and say at each request what the access line says.
        "django_guid": {"level": "ERROR"},
    },
}

# Errors to a Sentry-compatible service when SENTRY_DSN is set: nothing of a family, no key, no query
# string (monenfant.erreurs). Never from the tests, whatever the environment says.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN and "pytest" not in sys.modules:
    from monenfant import erreurs

    erreurs.init(SENTRY_DSN, environment=env.str("SENTRY_ENVIRONMENT", default=""))
