"""Settings shared by every environment. Environment-specific modules import * from here."""

from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .env import database_config, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("PIMPASA_VAR_DIR", str(BASE_DIR / "var")))

# Which settings module is in force, for code that must refuse to run in production (demo data).
PIMPASA_ENVIRONMENT = "base"

SECRET_KEY = env_str("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "pimpasa",
    # Kantor Imigrasi and Kantor Wilayah, and the office each member of staff belongs to.
    "offices",
    "cms",
    "events",
    "reporting",
    # Demo data and `manage.py load_demo` (which refuses production settings); no models.
    "demo",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_q",
    "axes",
    "csp",
    # The second factor of staff sign-in (pimpasa.two_factor): authenticator-app codes (TOTP) and
    # single-use recovery codes (django-otp's static devices).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
]

MIDDLEWARE = [
    # Notes requests that came past the reverse proxy (pimpasa.client): reported by check --deploy.
    "pimpasa.client.ProxyBypassMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy and Permissions-Policy on every response (pimpasa.security).
    "pimpasa.security.ContentSecurityPolicyMiddleware",
    "pimpasa.security.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below WhiteNoise (static files come pre-compressed), above everything that writes the body:
    # gzips rendered HTML and other text for every client that accepts it (pimpasa.compression).
    "pimpasa.compression.TextCompressionMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before CSRF, which reads the body: a view's declared cap is checked first (pimpasa.request_limits).
    "pimpasa.request_limits.BodyLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "events.middleware.ClearSiteDataOnLogoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # After authentication and locale: answers anonymous visitors from the shared page cache.
    "cms.page_cache.PageCacheMiddleware",
    # Every back-office page needs a session verified by the second factor (pimpasa.two_factor).
    "pimpasa.two_factor.SecondFactorMiddleware",
    # A sign-in refused by the per-account or per-address throttle gets its page (pimpasa.logins).
    "pimpasa.logins.LoginThrottleMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into its lockout page (HTTP 429).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "pimpasa.urls"
WSGI_APPLICATION = "pimpasa.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# Database: DATABASE_URL selects the engine; the embedded default is a SQLite file under var/.
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL is None:
    VAR_DIR.mkdir(parents=True, exist_ok=True)  # a fresh clone has no var/ yet; SQLite won't create it
    DATABASE_URL = f"sqlite:///{VAR_DIR / 'pimpasa.sqlite3'}"
DATABASES = {
    "default": database_config(
        DATABASE_URL,
        pool=env_bool("DATABASE_POOL", False),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 600),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: whatever several processes must agree on (page cache, rate limits, QR rotation, export
# progress) lives in "default", so it is Redis in production and the database in the embedded
# default. "local" is each process's own memory, for copies that may lag the shared ones by seconds.
REDIS_URL = env_str("REDIS_URL")
EMBEDDED_LIMITS_CACHE = {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
    "LOCATION": "pimpasa_limits",
    "OPTIONS": {"MAX_ENTRIES": 2**62},
}
if REDIS_URL:
    CACHES = {
        "default": {
            # django-redis keeps one client per process over a connection pool. With Redis down, a
            # cache read is a miss and a write is skipped (IGNORE_EXCEPTIONS, logged below: one line
            # a minute per process while it lasts, pimpasa.outages), so pages
            # are served uncached and check-ins go on; the short timeouts keep a dead Redis from
            # holding requests. Every call tries again, so nothing needs a restart when it returns.
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "pimpasa"),
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
            },
        }
    }
else:
    CACHES = {
        # The page cache and copies of computed figures: it may cull (Django's default MAX_ENTRIES,
        # 300, then a third of the rows on each write past it); what falls out is computed again.
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "pimpasa_cache",
        },
        # Rate-limit counters (pimpasa.ratelimit) must never be culled: a flood from fresh cookies
        # would push the per-address counter out and never be stopped. A table of their own whose
        # MAX_ENTRIES is never reached, so Django's cull never runs; an hourly task deletes the
        # counters of ended windows. It also keeps the task cluster's heartbeat (Q_CLUSTER below).
        # With Redis, both live in Redis and this is unused.
        "limits": EMBEDDED_LIMITS_CACHE,
        # Wagtail re-stores every image rendition it uses in the cache on each request; with the
        # database cache that is a write transaction per rendition per page view. Without Redis,
        # renditions are read from their own table instead (prefetched with the pages that show them).
        "renditions": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
DJANGO_REDIS_LOGGER = "pimpasa.redis"
CACHES["local"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pimpasa-local"}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "wagtailadmin_login"
# Only staff have sessions. One lasts a working day (an officer's day in a village included), not
# Django's two weeks: a phone left logged in stops opening tips by the next morning. Expired rows
# are deleted every hour (pimpasa.sessions); logging out deletes the session at once.
SESSION_COOKIE_AGE = env_int("PIMPASA_SESSION_HOURS", 12) * 3600

# Browser policies (pimpasa.security). Strict everywhere: this site's own scripts, styles, images and
# fonts only, no inline script or style, no plugins, forms posting here only, framed by this site only.
# Editors may embed videos from these hosts.
PIMPASA_VIDEO_FRAME_SOURCES = [
    "https://www.youtube.com",
    "https://www.youtube-nocookie.com",
    "https://player.vimeo.com",
]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "media-src": ["'self'"],
        "frame-src": ["'self'", *PIMPASA_VIDEO_FRAME_SOURCES],
        "worker-src": ["'self'"],
        "manifest-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    },
}
# Wagtail's admin writes inline scripts (date pickers, inline panels) and its scripts set style
# attributes: under /admin/ only, inline script and style are allowed as well. Field mode is ours and
# stays strict. (Checked by tests/browser/test_csp_journey.py.)
PIMPASA_CSP_RELAXED_PREFIXES = ["/admin/"]
PIMPASA_CSP_STRICT_PREFIXES = ["/admin/field/"]
PIMPASA_ADMIN_CSP_RELAXATION = {"script-src": ["'unsafe-inline'"], "style-src": ["'unsafe-inline'"]}
# Features no page needs are off; pages that scan tickets turn the camera on for this site only.
PIMPASA_PERMISSIONS_POLICY = {
    "camera": "()",
    "microphone": "()",
    "geolocation": "()",
    "payment": "()",
    "usb": "()",
    "browsing-topics": "()",
}
# Links to other sites (a video host, a ministry's page) carry no address from this one: check-in and
# tip pages have tokens in theirs.
SECURE_REFERRER_POLICY = "same-origin"

# Sign-in throttling (django-axes, see pimpasa.logins): failures count per user name and client address
# together, so a stranger cannot lock an officer out of the office; a supervisor can unlock early.
AUTHENTICATION_BACKENDS = [
    "pimpasa.logins.ThrottledSignInBackend",
    # Django's model backend, loading each request's user with their second-factor devices in the
    # same query (pimpasa.two_factor.AccountBackend).
    "pimpasa.two_factor.AccountBackend",
]
AXES_FAILURE_LIMIT = env_int("PIMPASA_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("PIMPASA_LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "pimpasa.client.client_address"
AXES_LOCKOUT_CALLABLE = "pimpasa.logins.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # the audit of failed sign-ins
AXES_DISABLE_ACCESS_LOG = True  # successful sign-ins are not logged with addresses (minimum data)
AXES_VERBOSE = False
# Beyond the pair above (pimpasa.logins): failed sign-ins to one account from any address, and from one
# address to any account, each within an hour. Over the account's count its password sign-in pauses
# until the hour is over (never a permanent lock an attacker could impose), except in a browser where
# that account completed sign-in with its second factor before; the account and the supervisors are
# told by e-mail. Over the address's count, every sign-in from there pauses.
PIMPASA_LOGIN_ACCOUNT_FAILURES = env_int("PIMPASA_LOGIN_ACCOUNT_FAILURES", 20)
PIMPASA_LOGIN_ADDRESS_FAILURES = env_int("PIMPASA_LOGIN_ADDRESS_FAILURES", 30)
PIMPASA_LOGIN_THROTTLE_SECONDS = 60 * 60
# Password reset requests per client address and per e-mail address, each per hour.
PIMPASA_PASSWORD_RESETS_PER_ADDRESS = env_int("PIMPASA_PASSWORD_RESETS_PER_ADDRESS", 5)
PIMPASA_PASSWORD_RESETS_PER_EMAIL = env_int("PIMPASA_PASSWORD_RESETS_PER_EMAIL", 3)
# The second factor: who needs it is pimpasa.two_factor.required_for (everyone with back-office
# access). The authenticator app shows this issuer name beside the account.
OTP_TOTP_ISSUER = env_str("PIMPASA_OTP_ISSUER", "Pimpasa")
# A browser that completed sign-in with the second factor is remembered for the account this long
# (a signed cookie), so an attacker's wrong guesses never keep the officer out of their own browser.
PIMPASA_KNOWN_BROWSER_DAYS = 180

# Language and time: Indonesian first, English second; stored in UTC, shown in WIB.
LANGUAGE_CODE = "id"
LANGUAGES = [
    ("id", "Bahasa Indonesia"),
    ("en", "English"),
]
# The project's catalogue first (makemessages writes there), then the Indonesian strings Wagtail's own
# catalogue lacks, kept apart so that refreshing the project's catalogue never drops them.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "pimpasa" / "admin" / "wagtail_locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Jakarta"
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

# Static files are the site's own small CSS/JS, served by WhiteNoise; uploads live under var/.
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Files that must never be reachable by URL (tip evidence, exports) are kept apart from MEDIA_ROOT.
PRIVATE_STORAGE_ROOT = Path(env_str("PRIVATE_STORAGE_ROOT", str(VAR_DIR / "private")))
# Where `manage.py backup` writes its archives unless told otherwise (docs/deployment.md, "Backups");
# copy them off this machine: a backup on the disk it protects is lost with it.
PIMPASA_BACKUP_DIR = Path(env_str("PIMPASA_BACKUP_DIR", str(VAR_DIR / "backups")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Tips: their text, notes, evidence files and reporter identities are encrypted with these Fernet keys
# (comma-separated, newest first; older keys still decrypt, so a key can be rotated). Tip words are
# searched through an index keyed with PIMPASA_SEARCH_INDEX_KEYS (its own keys, newest first, at least
# 32 characters each). Dev and test settings carry fixed keys; production refuses to start without its
# own. Closed tips lose identity and evidence after the retention period.
PIMPASA_FERNET_KEYS = env_list("PIMPASA_FERNET_KEYS")
PIMPASA_SEARCH_INDEX_KEYS = env_list("PIMPASA_SEARCH_INDEX_KEYS")
PIMPASA_TIP_RETENTION_DAYS = env_int("PIMPASA_TIP_RETENTION_DAYS", 365)
# A referral's link (for the agency, no account) stops working this many days after it was sent.
PIMPASA_REFERRAL_LINK_DAYS = env_int("PIMPASA_REFERRAL_LINK_DAYS", 30)
# The conversation with a tip's reporter (reporting.tips.conversation): working days an officer has to
# answer a reporter's reply; days a question may stay unanswered before the officer may close the tip as
# unverifiable; replies and uploads by tracking code per tip, per browser and per address an hour.
PIMPASA_REPLY_ANSWER_DAYS = env_int("PIMPASA_REPLY_ANSWER_DAYS", 2)
PIMPASA_QUESTION_UNANSWERED_DAYS = env_int("PIMPASA_QUESTION_UNANSWERED_DAYS", 14)
# Related tips (reporting.tips.related): a value (a phone number, a name, an RW) found in more than this
# many tips links none of them (a common word, a number every leaflet prints); numbers never
# fingerprinted besides the site settings' own lines (comma-separated, any spelling); how many related
# tips a tip's page lists.
PIMPASA_RELATED_MAX_TIPS_PER_VALUE = env_int("PIMPASA_RELATED_MAX_TIPS_PER_VALUE", 50)
PIMPASA_RELATED_STOP_PHONES = env_list("PIMPASA_RELATED_STOP_PHONES")
PIMPASA_RELATED_SHOWN = env_int("PIMPASA_RELATED_SHOWN", 20)
PIMPASA_REPLIES_PER_TIP = (env_int("PIMPASA_REPLIES_PER_TIP", 10), 60 * 60)
PIMPASA_REPLIES_PER_DEVICE = (env_int("PIMPASA_REPLIES_PER_DEVICE", 10), 60 * 60)
PIMPASA_REPLIES_PER_ADDRESS = (env_int("PIMPASA_REPLIES_PER_ADDRESS", 200), 60 * 60)

# Wagtail
WAGTAIL_SITE_NAME = "Pimpasa"
WAGTAILADMIN_USER_LOGIN_FORM = "pimpasa.admin.forms.PimpasaLoginForm"
# Staff e-mail addresses are never hashed and sent to a third party for an avatar.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# No "What's new in Wagtail" panel on the admin home: another product's English release notes.
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
# The public address of the site: used for absolute links (QR codes, share previews, emails), never
# the Host header of whoever made the request.
PIMPASA_PUBLIC_URL = env_str("PIMPASA_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = PIMPASA_PUBLIC_URL
# Check-in (events): where the consent checkbox's privacy notice lives; how often the projector's QR
# turns (the previous one stays valid for one more turn); how long an opened form stays valid.
PIMPASA_PRIVACY_URL = env_str("PIMPASA_PRIVACY_URL", "/privasi/")
# The national contact, shown in the footer of a page that belongs to no office (cms.office_contact)
# when an editor left Settings → Contact and hotlines → Office empty. No number is assumed: a wrong
# hotline on this site would send residents' reports astray; without one the footer points to 110.
PIMPASA_NATIONAL_CONTACT_NAME = env_str(
    "PIMPASA_NATIONAL_CONTACT_NAME", "Direktorat Intelijen Keimigrasian, Direktorat Jenderal Imigrasi"
)
PIMPASA_NATIONAL_HOTLINE = env_str("PIMPASA_NATIONAL_HOTLINE", "")
PIMPASA_QR_ROTATION_SECONDS = env_int("PIMPASA_QR_ROTATION_SECONDS", 30)
PIMPASA_CHECKIN_FORM_MINUTES = env_int("PIMPASA_CHECKIN_FORM_MINUTES", 20)
# Limits, as (count, seconds). A whole village checks in from one hotspot or one carrier address, so
# an address has only a ceiling sized for a crowd (1000 submissions in 10 minutes: a large session
# with typos corrected); floods are stopped per opened form (a shared phone records a family, not a
# crowd) and per phone number. Tips likewise: per browser, with a ceiling per address for a training
# of 30 or more on one Wi-Fi. See README "Limits".
PIMPASA_CHECKIN_LIMIT_PER_ADDRESS = (env_int("PIMPASA_CHECKIN_PER_ADDRESS", 1000), 10 * 60)
PIMPASA_CHECKIN_LIMIT_PER_FORM = (env_int("PIMPASA_CHECKIN_PER_FORM", 30), 20 * 60)
# Per phone number and session: a family sharing one phone checks in one by one (with a retry or two each).
PIMPASA_CHECKIN_LIMIT_PER_PHONE = (env_int("PIMPASA_CHECKIN_PER_PHONE", 20), 10 * 60)
PIMPASA_TIP_LIMIT_PER_ADDRESS = (env_int("PIMPASA_TIPS_PER_ADDRESS", 200), 60 * 60)
PIMPASA_TIP_LIMIT_PER_DEVICE = (env_int("PIMPASA_TIPS_PER_DEVICE", 10), 60 * 60)
# A tip sent without the browser's proof of work (no JavaScript, or a script) is still taken, under
# these far smaller budgets per browser and per address, and a ceiling for the whole site: a flood
# spread over many addresses meets the ceiling, while the residents whose browsers solve the
# challenge keep the budgets above. See README "Limits" and pimpasa.proof_of_work.
PIMPASA_TIP_UNSOLVED_LIMIT_PER_DEVICE = (env_int("PIMPASA_TIPS_UNSOLVED_PER_DEVICE", 3), 60 * 60)
PIMPASA_TIP_UNSOLVED_LIMIT_PER_ADDRESS = (env_int("PIMPASA_TIPS_UNSOLVED_PER_ADDRESS", 10), 60 * 60)
PIMPASA_TIP_UNSOLVED_LIMIT_SITEWIDE = (env_int("PIMPASA_TIPS_UNSOLVED_SITEWIDE", 60), 60 * 60)
# The tip form's proof of work (ALTCHA, PBKDF2/SHA-256): iterations per attempt, and the largest
# secret counter (the browser's attempts are between half of it and all of it). Tuned so that a
# cheap phone solves it in about a second (docs/benchmarks.md, "Proof of work"). A challenge is
# valid this many minutes after the browser fetched it, once.
PIMPASA_POW_COST = env_int("PIMPASA_POW_COST", 1000)
PIMPASA_POW_MAX_COUNTER = env_int("PIMPASA_POW_MAX_COUNTER", 1000)
PIMPASA_POW_MINUTES = env_int("PIMPASA_POW_MINUTES", 60)
# Attendees' names, phones and addresses are erased this many days after their session ended.
PIMPASA_ATTENDANCE_RETENTION_DAYS = env_int("PIMPASA_ATTENDANCE_RETENTION_DAYS", 365)
# How many trusted reverse proxies append to X-Forwarded-For in front of the application: the client
# is that many entries from the right (pimpasa.client). 0: no proxy, the header is ignored. The old
# boolean PIMPASA_TRUST_X_FORWARDED_FOR=1 means one proxy.
PIMPASA_PROXY_COUNT = env_int(
    "PIMPASA_PROXY_COUNT", 1 if env_bool("PIMPASA_TRUST_X_FORWARDED_FOR", False) else 0
)
if PIMPASA_PROXY_COUNT < 0:
    raise ImproperlyConfigured("PIMPASA_PROXY_COUNT must be 0 or more (the number of trusted proxies).")
# Where the trusted proxies connect from: X-Forwarded-For is read only from a peer in these networks.
# A request from anywhere else reached gunicorn directly, past the proxy: it is counted by its own
# address and the bypass is reported (`check --deploy`, /healthz).
PIMPASA_TRUSTED_PROXIES = env_list(
    "PIMPASA_TRUSTED_PROXIES",
    ["127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"],
)
# Wagtail's database backend: PostgreSQL full-text search there, SQLite FTS5 in the embedded default.
# The "simple" configuration (no stemming) because material is Indonesian as well as English, and
# PostgreSQL's default English stemmer would mangle Indonesian words.
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": "simple"}
}
# Rendered material pages are kept this long for anonymous visitors (0 turns the page cache off);
# publishing anything empties the cache at once, so this only bounds memory, not staleness.
PIMPASA_PAGE_CACHE_SECONDS = env_int("PIMPASA_PAGE_CACHE_SECONDS", 3600)
# Picture renditions are made by the task worker when a page is published (cms.renditions).
PIMPASA_RENDITIONS_AHEAD = True
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "odt", "pptx", "xlsx", "jpg", "jpeg", "png"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAIL_ENABLE_UPDATE_CHECK = False  # offline machines; no calls home

# Background tasks: django-q2. The ORM broker needs nothing but the database; Redis in production.
Q_CLUSTER = {
    "name": "pimpasa",
    "workers": env_int("Q_WORKERS", 2),
    "timeout": env_int("Q_TIMEOUT", 600),  # a task is killed after this many seconds...
    "retry": env_int("Q_RETRY", 720),  # ...and handed out again after this many; must exceed timeout
    "max_attempts": 3,
    "queue_limit": 50,
    "label": _("Background tasks"),
    "catch_up": False,
}
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"
    # The cluster's heartbeat (/healthz/worker, an export's "no task worker is running") lives in a
    # cache too: the never-culling one, or a page-cache cull would report a live worker dead.
    Q_CLUSTER["cache"] = "limits"

# Excel exports: finished files are deleted after this many days; an export of at most this many rows
# is written at once while the requester waits, larger ones go to the task queue.
PIMPASA_EXPORT_RETENTION_DAYS = env_int("PIMPASA_EXPORT_RETENTION_DAYS", 7)
PIMPASA_EXPORT_SYNC_MAX_ROWS = env_int("PIMPASA_EXPORT_SYNC_MAX_ROWS", 2000)

# Counts of tips that leave their own scope (dashboard figures, the "Where" page, exports, pictures):
# a count from 1 to this minus one is shown as "< 5", and a second cell is hidden where a total would
# give it back (pimpasa/suppression.py, docs/data-protection.md).
PIMPASA_SMALL_COUNT_THRESHOLD = env_int("PIMPASA_SMALL_COUNT_THRESHOLD", 5)
# The largest area boundary file (GeoJSON) a supervisor may upload, in bytes.
PIMPASA_BOUNDARY_MAX_BYTES = env_int("PIMPASA_BOUNDARY_MAX_BYTES", 5 * 1024 * 1024)

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Pimpasa <no-reply@pimpasa.invalid>")

# Every line goes through one handler whose filter removes secrets (agency links, reset links, check-in
# passes, tracking codes) and phone numbers: pimpasa.log_scrub, the rule gunicorn's logger uses too.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "scrub_secrets": {"()": "pimpasa.log_scrub.ScrubSecrets"},
        # django-redis logs every call it skips with Redis down, with a traceback: folded into one line
        # a minute per process with the count of what was skipped (pimpasa.outages).
        "redis_outage": {"()": "pimpasa.outages.OutageLogFilter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["scrub_secrets"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
# Wagtail's own background tasks run inline; their INFO lines would drown the server log.
# pikepdf announces itself at INFO on first import, and qpdf's repair notes on odd PDFs are not news.
# Django's own handlers (its console, mail to ADMINS, runserver's request lines) are replaced by the
# scrubbing one: "django" passes its records up to the root, "django.server" writes through it.
LOGGING["loggers"] = {
    "django_tasks": {"level": "WARNING"},
    "pikepdf": {"level": "WARNING"},
    "django": {"handlers": [], "level": "INFO", "propagate": True},
    "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    DJANGO_REDIS_LOGGER: {"filters": ["redis_outage"]},
}
