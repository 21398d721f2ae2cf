"""Demo data for the embedded default (`make run` → `manage.py load_demo`), kept out of the product.

The product apps never import this package (an import contract in pyproject.toml); it imports them and
builds its data through their models and services. Everything here refuses production settings
(`accounts.refuse_in_production`) and is idempotent: loading twice adds nothing.

- accounts.py      one account per role, passwords kept in var/demo-accounts.txt (made first, printed last)
- site_content.py  topics, material in both languages, pictures, a leaflet, contact settings;
                   material.py holds the material's prose (data only)
- sessions.py      areas, past sessions with attendance, a session open for check-in now
- tips.py          tips in every status, some raised at the demo sessions
- referrals.py     agencies and one acknowledged referral

Each data module has a `load(stdout)`; `load_demo` (demo/management/commands/) runs them in the order
of its `LOADERS`, because later data points at earlier data (sessions show the site's topics, tips
belong to sessions, referrals to tips). New demo data (offices and their regions, say) is a new module
with its own `load(stdout)`, placed in `LOADERS` before the modules whose data refers to it.
"""
