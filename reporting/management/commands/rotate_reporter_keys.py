"""The earlier name of rotate_encryption_keys, kept so that runbooks and cron lines keep working."""

from .rotate_encryption_keys import Command as RotateEncryptionKeys


class Command(RotateEncryptionKeys):
    pass
