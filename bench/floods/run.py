"""How many junk tips one core can push through the tip form, without and with the proof of work.

    .venv/bin/python bench/floods/run.py [--unsolved 300] [--solved 60]

One process on one core plays both the script and the site (Django's test client, no network: the
cheapest a flood can be), on a throwaway SQLite database with the limits lifted (bench/floods/settings.py)
and the real challenge settings (PIMPASA_POW_COST / PIMPASA_POW_MAX_COUNTER of pimpasa/settings/base.py):

  A. unsolved: the script posts the form without a challenge (what a flood could do before, and what
     a browser without JavaScript does, now under the small budgets of README "Limits");
  B. solved: the script fetches a challenge, solves it in Python with the `altcha` package (native
     PBKDF2 from hashlib, as fast as a script gets without special hardware) and posts it.

Printed: CPU seconds per tip for the script's solving and for the site's handling, tips per minute of
one core for A and B, and their ratio (A is the baseline, measured in the same run).
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.floods.settings"

JUNK = "PROMO kerja Malaysia gaji besar hubungi 0812{n} <img src=x onerror=alert(1)>"


def setup():
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0)
    from cms.services.page_tree import ensure_home_page
    from pimpasa.ratelimit import Limit
    from pimpasa.roles import ensure_roles
    from reporting.tips import views

    ensure_roles()
    ensure_home_page()
    # The challenge endpoint's ceiling per address is a constant: lift it like the other limits.
    views.CHALLENGE_LIMIT_PER_ADDRESS = Limit("tips-challenge-address", 10**9, 600)


def unsolved(count):
    from django.test import Client

    client = Client(REMOTE_ADDR="10.0.0.1")
    start = time.process_time()
    for index in range(count):
        response = client.post("/lapor/", {"category": "other", "description": JUNK.format(n=index)})
        assert response.status_code == 302, response.status_code
    return (time.process_time() - start) / count


def solved(count):
    import altcha
    from django.test import Client

    client = Client(REMOTE_ADDR="10.0.0.2")
    site = solving = 0.0
    for index in range(count):
        start = time.process_time()
        challenge = altcha.Challenge.from_dict(client.get("/lapor/tantangan/").json())
        fetched = time.process_time()
        payload = altcha.Payload(challenge, altcha.solve_challenge(challenge)).to_base64()
        solved_at = time.process_time()
        response = client.post(
            "/lapor/", {"category": "other", "description": JUNK.format(n=index), "altcha": payload}
        )
        assert response.status_code == 302, response.status_code
        done = time.process_time()
        site += (fetched - start) + (done - solved_at)
        solving += solved_at - fetched
    return site / count, solving / count


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--unsolved", type=int, default=300)
    parser.add_argument("--solved", type=int, default=60)
    args = parser.parse_args()
    setup()
    from django.conf import settings

    from reporting.tips.models import Tip

    unsolved(10)  # warm: templates, translations, first queries
    per_unsolved = unsolved(args.unsolved)
    per_site, per_solve = solved(args.solved)
    assert Tip.objects.count() == 10 + args.unsolved + args.solved
    rate_unsolved = 60 / per_unsolved
    rate_solved = 60 / (per_site + per_solve)
    print(
        f"challenge: PBKDF2/SHA-256, cost {settings.PIMPASA_POW_COST}, "
        f"secret counter in [{settings.PIMPASA_POW_MAX_COUNTER // 2}, {settings.PIMPASA_POW_MAX_COUNTER}]"
    )
    print(
        f"A. unsolved: site {per_unsolved * 1000:.1f} ms CPU per tip -> {rate_unsolved:,.0f} tips/min on one core"
    )
    print(
        f"B. solved:   site {per_site * 1000:.1f} ms + script solving {per_solve * 1000:.0f} ms CPU per tip"
        f" -> {rate_solved:,.0f} tips/min on one core"
    )
    print(f"ratio A/B: {rate_unsolved / rate_solved:.1f}x fewer tips per core with the challenge")
    print(f"the script alone, solving only: {60 / per_solve:,.0f} tips/min per core at most")


if __name__ == "__main__":
    main()
