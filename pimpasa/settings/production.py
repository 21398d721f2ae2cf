"""Production: PostgreSQL, Redis, gunicorn behind a reverse proxy. Configuration from the environment."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import PIMPASA_FERNET_KEYS, PIMPASA_SEARCH_INDEX_KEYS, STORAGES
from .env import env_bool, env_int, env_list, env_str

PIMPASA_ENVIRONMENT = "production"
DEBUG = False
SECRET_KEY = env_str("SECRET_KEY", required=True)
# Tips are encrypted with these keys and searched with those: without them no tip can be stored.
if not PIMPASA_FERNET_KEYS:
    raise ImproperlyConfigured(
        "PIMPASA_FERNET_KEYS must be set (generate one with: python -c "
        "'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')."
    )
if not PIMPASA_SEARCH_INDEX_KEYS or any(len(key) < 32 for key in PIMPASA_SEARCH_INDEX_KEYS):
    raise ImproperlyConfigured(
        "PIMPASA_SEARCH_INDEX_KEYS must be set, each key at least 32 characters and not a Fernet key "
        "in use (generate one with: python -c 'import secrets; print(secrets.token_urlsafe(32))')."
    )
# The host names must be named here explicitly: base's localhost default is for development only,
# and "*" would let any Host header through (password-reset links, cache poisoning).
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS must name the site's host names (comma-separated, e.g. pimpasa.example.go.id); "
        "it has no default in production and may not be '*'."
    )

# Static files get hashed names and far-future caching from WhiteNoise.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Behind a TLS-terminating reverse proxy.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 30)
# HSTS decisions (docs/deployment.md): subdomains of the site's own host name are HTTPS-only too (the
# site owns nothing beneath its host that would need plain HTTP); it is NOT submitted for browser
# preloading: preloading binds the whole registrable domain (the office's go.id domain, not ours to
# decide) and cannot be undone quickly. Django's check for preload is silenced for that reason only.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
USE_X_FORWARDED_HOST = False  # absolute URLs come from PIMPASA_PUBLIC_URL, never a forwarded Host

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
