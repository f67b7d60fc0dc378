"""The models and the committed migrations agree, so a fresh database gets exactly what the code expects."""

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_it_has_no_missing_migrations(capsys):
    try:
        call_command("makemigrations", "--check", "--dry-run", verbosity=1)
    except SystemExit:  # --check exits non-zero when a migration is missing
        pytest.fail(f"models changed without a migration:\n{capsys.readouterr().out}")
