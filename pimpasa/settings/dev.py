"""The embedded default that `make run` uses: SQLite, django-q's ORM broker, demo content."""

from .base import *  # noqa: F403
from .env import env_bool, env_list, env_str

PIMPASA_ENVIRONMENT = "dev"
DEBUG = env_bool("DEBUG", True)
# A fixed key is fine on a developer's machine only; production refuses to start without its own.
SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-never-used-in-production")
ALLOWED_HOSTS = ["*"]

# Serve the site's own static files straight from their folders while developing.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Fixed keys for tips (encryption, search index), for this machine's throwaway data only.
PIMPASA_FERNET_KEYS = env_list("PIMPASA_FERNET_KEYS") or ["ZGV2LW9ubHktcGltcGFzYS1mZXJuZXQta2V5LTMyYiE="]
PIMPASA_SEARCH_INDEX_KEYS = env_list("PIMPASA_SEARCH_INDEX_KEYS") or [
    "dev-only-pimpasa-search-index-key-never-in-production"
]
