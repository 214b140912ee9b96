"""`.env.example` documents every setting, and its values are accepted as they stand."""

import re

import pytest

from src.core.settings import REPO_ROOT, Settings


def _documented() -> dict[str, str]:
    text = (REPO_ROOT / ".env.example").read_text()
    return dict(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=(.*)$", text, flags=re.MULTILINE))


def test_every_setting_is_documented() -> None:
    fields = {name.upper() for name in Settings.model_fields}
    assert fields <= set(_documented())


def test_the_uncommented_values_are_valid_development_settings() -> None:
    text = (REPO_ROOT / ".env.example").read_text()
    active = dict(re.findall(r"^([A-Z][A-Z0-9_]+)=(.*)$", text, flags=re.MULTILINE))
    settings = Settings(_env_file=None, **{k.lower(): v for k, v in active.items()})
    assert settings.app_env == "development"
    assert settings.cors_origins == ["http://localhost:3000", "http://127.0.0.1:3000"]
    assert settings.cors_credentials


def test_its_placeholders_are_refused_in_production() -> None:
    text = (REPO_ROOT / ".env.example").read_text()
    active = dict(re.findall(r"^([A-Z][A-Z0-9_]+)=(.*)$", text, flags=re.MULTILINE))
    active.update(APP_ENV="production", DATABASE_URL="postgresql://u:p@db.example/taskapi")
    with pytest.raises(ValueError, match="placeholder"):
        Settings(_env_file=None, **{k.lower(): v for k, v in active.items()})
