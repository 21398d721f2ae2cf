"""Encryption at rest with keys kept outside the database: text columns and whole files.

The keys are PIMPASA_FERNET_KEYS (newest first). MultiFernet encrypts with the first and decrypts with
any, so a key is rotated by putting a new one in front and re-encrypting (`rotate_encryption_keys`).

- A text column (`EncryptedTextField`, `EncryptedCharField`) holds a Fernet token; the model reads
  and writes plain text (`tip.description`), decrypted as rows are loaded: CPU only, no query. An
  empty value stays empty (a blank field says only that it is blank). Lookups other than "is empty"
  cannot work on such a column: search goes through a keyed word index (pimpasa.blind_index).
- A file (evidence, exports) is written as: MAGIC, the length and the Fernet token of a random
  256-bit file key, then the content in chunks of CHUNK bytes, each sealed with AES-256-GCM under the
  file key, its nonce the chunk's number and whether it is the last (a cut or reordered file fails to
  decrypt). Reading is streaming and seekable (a chunk at a time); rotating a key rewraps the file key
  only (`rewrap_file`), the content is copied as it is.
"""

import io
import os
import secrets
import struct
from functools import cache
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.signals import setting_changed
from django.db import models
from django.db.models.lookups import Exact
from django.dispatch import receiver

# --- keys ------------------------------------------------------------------------------------------


@cache
def _fernets(keys):
    if not keys:
        raise ImproperlyConfigured("PIMPASA_FERNET_KEYS is empty: tips cannot be encrypted.")
    try:
        each = [Fernet(key) for key in keys]
    except ValueError as error:
        raise ImproperlyConfigured(
            "Each PIMPASA_FERNET_KEYS entry must be a Fernet key (32 url-safe base64-encoded bytes)."
        ) from error
    return MultiFernet(each), each[0]


def fernet():
    """MultiFernet over every configured key: encrypts with the newest, decrypts with any."""
    return _fernets(tuple(settings.PIMPASA_FERNET_KEYS))[0]


def newest_fernet():
    return _fernets(tuple(settings.PIMPASA_FERNET_KEYS))[1]


@receiver(setting_changed)
def _forget_keys(setting, **kwargs):
    if setting == "PIMPASA_FERNET_KEYS":
        _fernets.cache_clear()


class UndecryptableError(ImproperlyConfigured):
    """Stored ciphertext that no configured key opens: a key was removed before rotation finished."""


def encrypt_text(text):
    if text is None or text == "":
        return text
    return fernet().encrypt(str(text).encode()).decode("ascii")


def decrypt_text(token):
    if token is None or token == "":
        return token
    try:
        return fernet().decrypt(token.encode("ascii")).decode()
    except (InvalidToken, UnicodeEncodeError) as error:
        raise UndecryptableError(
            "Stored text cannot be decrypted with the PIMPASA_FERNET_KEYS in use: a key was removed "
            "before what it encrypted was rotated (python manage.py rotate_encryption_keys)."
        ) from error


def is_newest(token):
    """Whether `token` is already encrypted with the newest key (rotation skips it)."""
    try:
        newest_fernet().decrypt(token.encode("ascii") if isinstance(token, str) else token)
    except (InvalidToken, UnicodeEncodeError):
        return False
    return True


def opens(token):
    """Whether any configured key decrypts `token` (plain text left from before encryption does not)."""
    try:
        fernet().decrypt(token.encode("ascii"))
    except (InvalidToken, UnicodeEncodeError):
        return False
    return True


def rotate_token(token):
    """`token` re-encrypted with the newest key; None when it already is."""
    if not token or is_newest(token):
        return None
    try:
        return fernet().rotate(token.encode("ascii")).decode("ascii")
    except (InvalidToken, UnicodeEncodeError) as error:
        raise UndecryptableError(
            "Stored text cannot be decrypted with the PIMPASA_FERNET_KEYS in use."
        ) from error


# --- model fields ----------------------------------------------------------------------------------


class _EmptyOnlyExact(Exact):
    """`field=""` works (an empty value is stored empty); any other value could never match a token
    (each encryption differs), so asking for one is a mistake, refused loudly rather than answered
    with nothing."""

    def get_prep_lookup(self):
        if self.rhs not in ("", None):
            raise FieldError(
                f"{self.lhs.target.name} is encrypted: it can only be compared with the empty value; "
                "search text through the keyed word index (pimpasa.blind_index)."
            )
        return super().get_prep_lookup()


class EncryptedTextField(models.TextField):
    """Text kept as a Fernet token; read and written as plain text.

    `max_length` limits what may be typed (forms, full_clean), not the column: a token is longer than
    its text. Any model's free text with personal data uses it (tips, notes, messages). Only "is empty"
    and "is null" can be asked of it in a query; anything else raises FieldError.
    """

    description = "Text encrypted at rest"

    def get_lookup(self, lookup_name):
        if lookup_name == "exact":
            return _EmptyOnlyExact
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        raise FieldError(
            f"{self.name} is encrypted: “{lookup_name}” cannot be asked of it in the database; "
            "search text through the keyed word index (pimpasa.blind_index)."
        )

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return encrypt_text(value)

    def from_db_value(self, value, expression, connection):
        return decrypt_text(value)

    def get_internal_type(self):
        return "TextField"


class EncryptedCharField(EncryptedTextField):
    """A one-line encrypted field: shown with a text input, not a text area."""

    def formfield(self, **kwargs):
        from django import forms

        return super().formfield(**{"widget": forms.TextInput, **kwargs})


def encrypted_fields(model):
    return [field for field in model._meta.concrete_fields if isinstance(field, EncryptedTextField)]


# --- files -----------------------------------------------------------------------------------------

MAGIC = b"PMPSENC1"
CHUNK = 64 * 1024
TAG = 16
_LENGTH = struct.Struct(">H")


def _nonce(index, last):
    return struct.pack(">IQ", 1 if last else 0, index)


def _header(wrapped):
    return MAGIC + _LENGTH.pack(len(wrapped)) + wrapped


def _read_header(handle):
    """(file key, header length, wrapped key) of an encrypted file open at its start."""
    start = handle.read(len(MAGIC) + _LENGTH.size)
    if len(start) < len(MAGIC) + _LENGTH.size or not start.startswith(MAGIC):
        raise UndecryptableError("Not an encrypted Pimpasa file.")
    (length,) = _LENGTH.unpack(start[len(MAGIC) :])
    wrapped = handle.read(length)
    try:
        key = fernet().decrypt(wrapped)
    except InvalidToken as error:
        raise UndecryptableError(
            "An encrypted file's key cannot be opened with the PIMPASA_FERNET_KEYS in use."
        ) from error
    return key, len(start) + length, wrapped


class EncryptingWriter(io.RawIOBase):
    """A write-only stream that seals what is written into `raw` (a binary file it then owns).

    Not seekable (a zip writer then streams, as openpyxl's save does into it); close() writes the
    last chunk, so a file never closed does not decrypt."""

    def __init__(self, raw):
        super().__init__()
        self._raw = raw
        key = AESGCM.generate_key(bit_length=256)
        self._aead = AESGCM(key)
        self._raw.write(_header(fernet().encrypt(key)))
        self._buffer = bytearray()
        self._index = 0

    def writable(self):
        return True

    def write(self, data):
        self._buffer += data
        while len(self._buffer) > CHUNK:
            self._seal(bytes(self._buffer[:CHUNK]), last=False)
            del self._buffer[:CHUNK]
        return len(data)

    def _seal(self, chunk, last):
        self._raw.write(self._aead.encrypt(_nonce(self._index, last), chunk, MAGIC))
        self._index += 1

    def close(self):
        if not self.closed:
            try:
                self._seal(bytes(self._buffer), last=True)
                self._buffer.clear()
            finally:
                self._raw.close()
        super().close()

    def abandon(self):
        """Close without sealing the end (a failed write): what was written never decrypts."""
        self._raw.close()
        io.RawIOBase.close(self)


class DecryptingReader(io.RawIOBase):
    """A read-only, seekable view of the plain content of an encrypted file (one chunk in memory)."""

    def __init__(self, raw):
        super().__init__()
        self._raw = raw
        try:
            key, self._start, _wrapped = _read_header(raw)
        except BaseException:
            raw.close()
            raise
        self._aead = AESGCM(key)
        body = os.fstat(raw.fileno()).st_size - self._start
        self._chunks = max(1, -(-body // (CHUNK + TAG)))
        self.size = body - TAG * self._chunks
        if self.size < 0:
            raw.close()
            raise UndecryptableError("An encrypted file is cut short.")
        self._position = 0
        self._cached = (None, b"")

    def readable(self):
        return True

    def seekable(self):
        return True

    def tell(self):
        return self._position

    def seek(self, offset, whence=io.SEEK_SET):
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self.size}[whence]
        self._position = max(0, base + offset)
        return self._position

    def _chunk(self, index):
        if self._cached[0] != index:
            self._raw.seek(self._start + index * (CHUNK + TAG))
            sealed = self._raw.read(CHUNK + TAG)
            try:
                plain = self._aead.decrypt(_nonce(index, index == self._chunks - 1), sealed, MAGIC)
            except InvalidTag as error:
                raise UndecryptableError("An encrypted file was altered or cut short.") from error
            self._cached = (index, plain)
        return self._cached[1]

    def readinto(self, buffer):
        if self._position >= self.size:
            # The last chunk is checked even when nothing is left to read: a cut file fails here.
            self._chunk(self._chunks - 1)
            return 0
        index, offset = divmod(self._position, CHUNK)
        data = self._chunk(index)[offset : offset + len(buffer)]
        buffer[: len(data)] = data
        self._position += len(data)
        return len(data)

    def close(self):
        if not self.closed:
            self._raw.close()
        super().close()


def open_encrypted(path):
    """The plain content of the encrypted file at `path`, as a buffered, seekable binary file."""
    return io.BufferedReader(DecryptingReader(open(path, "rb")), buffer_size=CHUNK)


def is_encrypted_file(path):
    with open(path, "rb") as handle:
        return handle.read(len(MAGIC)) == MAGIC


def encrypt_file_in_place(path):
    """Encrypt a file left in the clear (from before encryption); False if it already was."""
    path = Path(path)
    if is_encrypted_file(path):
        return False
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with open(path, "rb") as source:
            writer = EncryptingWriter(os.fdopen(descriptor, "wb"))
            while chunk := source.read(CHUNK):
                writer.write(chunk)
            writer.close()
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return True


def rewrap_file(path):
    """Re-encrypt the file key of `path` with the newest key; False if it already was.

    The sealed content is copied as it is into a new file that replaces the old one at once, so an
    interrupted rotation leaves each file either old or new, both readable."""
    path = Path(path)
    with open(path, "rb") as source:
        key, start, wrapped = _read_header(source)
        if is_newest(wrapped):
            return False
        temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(descriptor, "wb") as target:
                target.write(_header(newest_fernet().encrypt(key)))
                source.seek(start)
                while chunk := source.read(1024 * 1024):
                    target.write(chunk)
            os.replace(temporary, path)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
    return True


# --- rotation and first encryption of what is stored ------------------------------------------------

BATCH = 500


def _rows_after(cursor, table, pk, column, last, batch):
    condition = f"{column} <> ''" + (f" AND {pk} > %s" if last is not None else "")
    params = ([last] if last is not None else []) + [batch]
    # Names come from the model's meta, quoted by the backend; values are parameters.
    query = f"SELECT {pk}, {column} FROM {table} WHERE {condition} ORDER BY {pk} LIMIT %s"  # noqa: S608
    cursor.execute(query, params)
    return cursor.fetchall()


def convert_column(model, column, convert, *, using="default", batch=BATCH):
    """Apply `convert(stored) -> new stored value or None (leave it)` to every non-empty value of a
    column, in batches by primary key, each batch one transaction; returns how many changed.

    Raw SQL, so the model's field neither decrypts on reading nor encrypts again on writing. A row
    written by someone else meanwhile is left as they wrote it (the UPDATE names the old value), so
    the command can run beside the live site; running it again finishes what was left."""
    from django.db import connections, transaction

    connection = connections[using]
    quote = connection.ops.quote_name
    table, pk, column = quote(model._meta.db_table), quote(model._meta.pk.column), quote(column)
    changed, last = 0, None
    while True:
        with connection.cursor() as cursor:
            rows = _rows_after(cursor, table, pk, column, last, batch)
        if not rows:
            return changed
        updates = []
        for pk_value, stored in rows:
            new = convert(stored)
            if new is not None and new != stored:
                updates.append((new, pk_value, stored))
        if updates:
            with transaction.atomic(using=using), connection.cursor() as cursor:
                update = f"UPDATE {table} SET {column} = %s WHERE {pk} = %s AND {column} = %s"  # noqa: S608
                cursor.executemany(update, updates)
            changed += len(updates)
        last = rows[-1][0]


def encrypt_if_plain(stored):
    """For the first encryption: a value no key opens is plain text from before, encrypted now."""
    return None if opens(stored) else encrypt_text(stored)


def decrypt_if_encrypted(stored):
    """For going back: a value a key opens is decrypted."""
    return decrypt_text(stored) if opens(stored) else None


# Files being written (an export's part file, the temporary copy of a rotation) are left alone.
_UNFINISHED = (".part", ".tmp")


def rewrap_folder(root):
    """Rewrap every encrypted file under `root` with the newest key: (rewrapped, already newest)."""
    rewrapped = unchanged = 0
    root = Path(root)
    if not root.is_dir():
        return rewrapped, unchanged
    for path in sorted(root.rglob("*")):
        try:
            if not path.is_file() or path.name.endswith(_UNFINISHED) or not is_encrypted_file(path):
                continue
            done = rewrap_file(path)
        except FileNotFoundError:  # deleted meanwhile (an export expired, a tip purged)
            continue
        rewrapped, unchanged = (rewrapped + 1, unchanged) if done else (rewrapped, unchanged + 1)
    return rewrapped, unchanged
