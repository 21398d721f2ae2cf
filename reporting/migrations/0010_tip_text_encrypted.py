"""Tip text, notes, referral texts and evidence names become encrypted columns; evidence files and
export workbooks already stored are encrypted in place; a keyed word index is built for search.

Reversible: going back decrypts the columns and drops the index, but files stay encrypted (the
earlier code cannot read them: download them first, or stay on this version). Each step skips what
is already done, so a migration interrupted halfway finishes when run again.
"""



from pathlib import Path

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import pimpasa.encryption
from pimpasa import blind_index
from pimpasa.encryption import (
    convert_column,
    decrypt_if_encrypted,
    encrypt_file_in_place,
    encrypt_if_plain,
)


ENCRYPTED = {
    "Tip": ["description", "address", "occurred_when", "people_involved"],
    "TipHistory": ["note"],
    "Evidence": ["original_name"],
    "Referral": ["summary", "acknowledged_by_name", "outcome_text"],
}
SEARCHABLE = ("description", "people_involved", "address", "occurred_when")


def _columns(apps):
    for model_name, names in ENCRYPTED.items():
        model = apps.get_model("reporting", model_name)
        for name in names:
            yield model, model._meta.get_field(name).column


def encrypt_existing(apps, schema_editor):
    using = schema_editor.connection.alias
    for model, column in _columns(apps):
        convert_column(model, column, encrypt_if_plain, using=using)
    root = Path(settings.PRIVATE_STORAGE_ROOT)
    Evidence = apps.get_model("reporting", "Evidence")
    for name in Evidence.objects.using(using).exclude(file="").values_list("file", flat=True):
        if (root / name).is_file():
            encrypt_file_in_place(root / name)
    exports = root / "exports"
    if exports.is_dir():
        for path in exports.glob("*.xlsx"):
            encrypt_file_in_place(path)


def decrypt_existing(apps, schema_editor):
    using = schema_editor.connection.alias
    for model, column in _columns(apps):
        convert_column(model, column, decrypt_if_encrypted, using=using)


def build_index(apps, schema_editor):
    using = schema_editor.connection.alias
    Tip = apps.get_model("reporting", "Tip")
    Token = apps.get_model("reporting", "TipSearchToken")
    key_id = blind_index.key_id()
    indexed = Token.objects.using(using).filter(key_id=key_id).values("tip_id")
    for tip in Tip.objects.using(using).exclude(pk__in=indexed).only(*SEARCHABLE).iterator(chunk_size=500):
        tokens = blind_index.document_tokens(*(getattr(tip, name) for name in SEARCHABLE))
        Token.objects.using(using).bulk_create(
            [Token(tip_id=tip.pk, token=token, key_id=key_id) for token in sorted(tokens)]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0009_tip_text_fingerprint"),
    ]

    operations = [
        migrations.AlterField(
            model_name="evidence",
            name="original_name",
            field=pimpasa.encryption.EncryptedCharField(
                blank=True,
                help_text="Sanitised; for display only",
                max_length=120,
                verbose_name="original name",
            ),
        ),
        migrations.AlterField(
            model_name="referral",
            name="acknowledged_by_name",
            field=pimpasa.encryption.EncryptedCharField(
                blank=True, max_length=120, verbose_name="received by"
            ),
        ),
        migrations.AlterField(
            model_name="referral",
            name="outcome_text",
            field=pimpasa.encryption.EncryptedTextField(
                blank=True, verbose_name="outcome in the agency's words"
            ),
        ),
        migrations.AlterField(
            model_name="referral",
            name="summary",
            field=pimpasa.encryption.EncryptedTextField(verbose_name="summary for the agency"),
        ),
        migrations.AlterField(
            model_name="tip",
            name="address",
            field=pimpasa.encryption.EncryptedCharField(
                blank=True, max_length=250, verbose_name="address or place"
            ),
        ),
        migrations.AlterField(
            model_name="tip",
            name="description",
            field=pimpasa.encryption.EncryptedTextField(verbose_name="what happened"),
        ),
        migrations.AlterField(
            model_name="tip",
            name="occurred_when",
            field=pimpasa.encryption.EncryptedCharField(
                blank=True,
                help_text="A date, or words such as “since last month”",
                max_length=100,
                verbose_name="when",
            ),
        ),
        migrations.AlterField(
            model_name="tip",
            name="people_involved",
            field=pimpasa.encryption.EncryptedTextField(blank=True, verbose_name="who is involved"),
        ),
        migrations.AlterField(
            model_name="tiphistory",
            name="note",
            field=pimpasa.encryption.EncryptedTextField(blank=True, verbose_name="note"),
        ),
        migrations.CreateModel(
            name="TipSearchToken",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("token", models.CharField(db_index=True, max_length=32)),
                ("key_id", models.CharField(max_length=8)),
                (
                    "tip",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="search_tokens",
                        to="reporting.tip",
                    ),
                ),
            ],
            options={
                "verbose_name": "tip search word",
                "verbose_name_plural": "tip search words",
                "constraints": [
                    models.UniqueConstraint(fields=("tip", "token"), name="one_search_token_per_tip")
                ],
            },
        ),
        migrations.RunPython(encrypt_existing, decrypt_existing, elidable=False),
        migrations.RunPython(build_index, migrations.RunPython.noop, elidable=False),
    ]
