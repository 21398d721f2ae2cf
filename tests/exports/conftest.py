import pytest


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    """Each test writes its workbooks to its own private folder."""
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    return settings.PRIVATE_STORAGE_ROOT
