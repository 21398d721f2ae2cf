"""Demo accounts for the embedded default: one per role, passwords printed for the newcomer.

Passwords are random, made once and kept in var/demo-accounts.txt (readable by the owner only), so
that `make run` can print them every time without ever resetting a password someone changed.
"""

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from offices.models import Membership, Office
from pimpasa.roles import EDITOR, NATIONAL, OFFICER, REGIONAL, SUPERVISOR, ensure_roles

DEMO_ACCOUNTS = [
    # username, role, first name, last name
    ("editor", EDITOR, "Rina", "Editor"),
    ("petugas", OFFICER, "Andi", "Petugas"),
    ("supervisor", SUPERVISOR, "Sari", "Supervisor"),
    # Their offices and region: demo/offices.py.
    ("petugas_tangerang", OFFICER, "Bayu", "Tangerang"),
    ("petugas_jakbar", OFFICER, "Maya", "Jakbar"),
    ("kanwil_banten", REGIONAL, "Fajar", "Kanwil"),
    ("nasional", NATIONAL, "Dian", "Nasional"),
]


def refuse_in_production():
    if settings.PIMPASA_ENVIRONMENT == "production":
        raise ImproperlyConfigured(
            "Demo content and demo accounts are never loaded under production settings."
        )


def _password_file():
    return Path(settings.VAR_DIR) / "demo-accounts.txt"


def _read_passwords(path):
    if not path.exists():
        return {}
    pairs = (line.split(":", 1) for line in path.read_text().splitlines() if ":" in line)
    return dict(pairs)


@transaction.atomic
def ensure_demo_accounts():
    """Create the demo accounts; returns [(username, role, password or None if changed)]."""
    refuse_in_production()
    groups = ensure_roles()
    path = _password_file()
    passwords = _read_passwords(path)
    User = get_user_model()
    accounts = []
    for username, role, first_name, last_name in DEMO_ACCOUNTS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "email": f"{username}@pimpasa.invalid",
            },
        )
        password = passwords.get(username)
        if created or password is None:
            # New account, or one whose password was never recorded here (var/ was wiped).
            password = password if created and password else secrets.token_urlsafe(9)
            user.set_password(password)
            user.save()
        elif not user.check_password(password):
            password = None  # its owner changed it: keep theirs, print no stale one
        user.groups.add(groups[role])
        if role in (OFFICER, SUPERVISOR):
            # Office staff work in an office: the first one, until demo/offices.py places them.
            Membership.objects.get_or_create(user=user, defaults={"office": Office.default()})
        if password:
            passwords[username] = password
        accounts.append((username, role, password))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{u}:{p}\n" for u, p in passwords.items()))
    path.chmod(0o600)
    return accounts
