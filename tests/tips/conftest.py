import pytest


@pytest.fixture(autouse=True)
def _private_storage(tmp_path, settings):
    # Evidence files of a test go to its own temporary folder.
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    return settings.PRIVATE_STORAGE_ROOT
