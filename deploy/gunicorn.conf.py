"""Gunicorn for monenfant: `gunicorn -c deploy/gunicorn.conf.py monenfant.wsgi` (docs/deploy.md).

Every value can be set from the environment of the unit, so that one file serves every server.
"""

import multiprocessing
import os

# One app server per unit; nginx balances over them (deploy/nginx/monenfant.conf).
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")
# Synchronous workers: the views are short and the database does the work. Two per core is what the
# benchmarks of docs/benchmark.md were measured with on 2 cores (one server of two workers per core).
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count()))
# A request that takes longer than this is a bug or a stuck dependency: the worker is replaced and nginx
# answers 502/504 (the longest page, a large CSV export, takes a few seconds).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 20
keepalive = 5
# A worker is replaced after this many requests (with jitter, so that they do not restart together):
# a slow leak never reaches the memory limit.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 5000))
max_requests_jitter = max_requests // 10
# The application is imported once in the master: workers start in milliseconds when one is replaced.
preload_app = True
# Only nginx may say which scheme the client used (X-Forwarded-Proto); the client's address is read by
# the application itself from X-Forwarded-For and TRUSTED_PROXIES (monenfant/reseau.py).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
proxy_allow_ips = forwarded_allow_ips
# The access log is the application's own line per request (logger monenfant.acces: path with its secrets
# masked, status, duration, request id) and nginx's; gunicorn's would repeat it. GUNICORN_ACCESS_LOG=- turns
# it on (its lines go through the same masking filter: monenfant/logs.py).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms id=%({x-request-id}i)s'
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
pidfile = os.environ.get("GUNICORN_PIDFILE") or None
proc_name = f"monenfant-{bind}"
# Restarts and reloads go through systemd (signals), not gunicorn's control socket: two servers on one
# machine would share its default path.
control_socket_disable = True


def post_fork(server, worker):
    # preload_app: connections opened while importing in the master must not be shared by the workers.
    from django.db import connections

    connections.close_all()
