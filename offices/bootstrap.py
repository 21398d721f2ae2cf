"""What every installation needs of offices (run by `manage.py setup`): at least one office."""

from offices.models import Office


def ensure(stdout):
    office = Office.default()
    stdout.write(f"Default office: {office.name} ({office.region}).")
