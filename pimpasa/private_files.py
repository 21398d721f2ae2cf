"""Files under PRIVATE_STORAGE_ROOT (tip evidence, Excel exports) are readable by the application's
own user only: files 0600, folders 0700, whatever the process's umask. Another account on the machine
(a backup agent, a shared host's neighbour) gets nothing without being given it on purpose."""

import os
from pathlib import Path

from django.conf import settings

FILE_MODE = 0o600
DIRECTORY_MODE = 0o700


def private_directory(path):
    """Make `path` (a folder under PRIVATE_STORAGE_ROOT) and every folder above it up to the root 0700."""
    path = Path(path)
    root = Path(settings.PRIVATE_STORAGE_ROOT)
    path.mkdir(mode=DIRECTORY_MODE, parents=True, exist_ok=True)
    folders = [path, *path.parents] if path.is_relative_to(root) else [path]
    for folder in folders:
        os.chmod(folder, DIRECTORY_MODE)
        if folder == root:
            break
    return path


def open_private(path):
    """Open `path` for writing (binary), created 0600 from the first byte."""
    path = Path(path)
    private_directory(path.parent)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    os.fchmod(descriptor, FILE_MODE)  # a file that already existed keeps its mode otherwise
    return os.fdopen(descriptor, "wb")
