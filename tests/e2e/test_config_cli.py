"""`infointerview check-config`: the effective configuration, secrets masked, and what each mode
still needs; a bad value stops it with one message that lists every problem."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import SecretStr

from infointerview.bot.config_cli import env_names, mask, shown_value
from infointerview.bot.settings import Settings

SETTINGS_VARS = {name for field_name, field in Settings.model_fields.items()
                 for name in env_names(field_name, field)}
BOT_TOKEN = "xoxb-1111-2222-abcdefghijklmnopWXYZ"
SIGNING_SECRET = "0123456789abcdef0123456789abcdef"
DB_PASSWORD = "hunter2-very-secret"


def check_config(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items()
             if k not in SETTINGS_VARS and not k.startswith(("INFOINTERVIEW_", "SLACK_"))}
    # run in an empty folder so no .env of the developer's is read
    return subprocess.run([sys.executable, "-m", "infointerview", "check-config"],
                          capture_output=True, text=True, timeout=60, check=False,
                          cwd=tmp_path, env={**clean, "PYTHONPATH": str(Path.cwd()), **env})


def test_mask_shows_at_most_the_last_four_characters() -> None:
    assert mask("0123456789abcdef") == "••••cdef"
    assert mask("short") == "••••"
    assert mask("") == "••••"


def test_secrets_and_passwords_are_masked_but_plain_values_shown() -> None:
    assert shown_value("slack_signing_secret", SecretStr(SIGNING_SECRET)) == "••••cdef"
    assert shown_value("token_key", SecretStr("k" * 44)) == "••••kkkk"
    assert shown_value("discord_token", "plain-but-named-token-1234") == "••••1234"
    assert shown_value("slack_bot_token", None) == "(not set)"
    assert shown_value("career_office_name", "Career Center") == "Career Center"
    assert shown_value("career_office_contact", "") == "(empty)"
    url = shown_value("database_url", f"postgresql://bot:{DB_PASSWORD}@db:5432/infointerview")
    assert DB_PASSWORD not in url and url == "postgresql://bot:••••@db:5432/infointerview"


def test_prints_every_setting_with_secrets_masked(tmp_path: Path) -> None:
    result = check_config(
        tmp_path, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET,
        INFOINTERVIEW_DATABASE_URL=f"postgresql://bot:{DB_PASSWORD}@db/infointerview",
        INFOINTERVIEW_CAREER_OFFICE_NAME="Lakeside Career Center")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for field_name, field in Settings.model_fields.items():
        assert env_names(field_name, field)[0] in out, field_name
    for secret in (BOT_TOKEN, SIGNING_SECRET, DB_PASSWORD, BOT_TOKEN[:-4], SIGNING_SECRET[:-4]):
        assert secret not in out + result.stderr
    assert "••••WXYZ" in out and "••••cdef" in out
    assert "Lakeside Career Center" in out
    assert "(not set)" in out  # e.g. SLACK_APP_TOKEN
    http_line = next(line for line in out.splitlines() if "slack --http" in line)
    assert "ready" in http_line and "cannot" not in http_line
    assert "SLACK_APP_TOKEN is missing" in out  # what --socket still needs


def test_names_what_each_mode_is_missing(tmp_path: Path) -> None:
    result = check_config(tmp_path, INFOINTERVIEW_DATABASE_URL=f"sqlite:///{tmp_path}/x.db")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "SLACK_SIGNING_SECRET is missing" in out
    assert "SLACK_BOT_TOKEN is missing" in out
    assert "SLACK_APP_TOKEN is missing" in out
    assert "DISCORD_TOKEN is missing" in out
    assert out.count("cannot start") == 3  # slack --http, slack --socket, discord


def test_reads_a_dot_env_file_in_the_working_folder(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(f"SLACK_SIGNING_SECRET={SIGNING_SECRET}\n"
                                   "INFOINTERVIEW_LOG_LEVEL=INFO\n")
    result = check_config(tmp_path)
    assert result.returncode == 0, result.stderr
    assert "••••cdef" in result.stdout and SIGNING_SECRET not in result.stdout
    assert ".env" in result.stdout


def test_malformed_values_are_listed_one_per_line_and_exit_2(tmp_path: Path) -> None:
    result = check_config(tmp_path, INFOINTERVIEW_REMINDER_INTERVAL="-5",
                          INFOINTERVIEW_TEMPLATES_DIR=str(tmp_path / "missing"),
                          SLACK_SIGNING_SECRET=SIGNING_SECRET)
    assert result.returncode == 2
    err = result.stderr
    assert "Traceback" not in err and SIGNING_SECRET not in err
    lines = err.strip().splitlines()
    assert lines[0].startswith("infointerview: configuration problem")
    problems = [line for line in lines[1:] if line.strip().startswith("- ")]
    assert len(problems) == 2
    assert any("INFOINTERVIEW_REMINDER_INTERVAL" in p and "greater than 0" in p
               for p in problems)
    assert any("INFOINTERVIEW_TEMPLATES_DIR" in p and "not a folder" in p for p in problems)


def test_other_commands_report_configuration_problems_the_same_way(tmp_path: Path) -> None:
    result = check_config(tmp_path, INFOINTERVIEW_REMINDER_INTERVAL="soon")
    env = {k: v for k, v in os.environ.items() if not k.startswith("INFOINTERVIEW_")}
    migrate = subprocess.run([sys.executable, "-m", "infointerview", "migrate"],
                             capture_output=True, text=True, timeout=60, check=False, cwd=tmp_path,
                             env={**env, "PYTHONPATH": str(Path.cwd()),
                                  "INFOINTERVIEW_REMINDER_INTERVAL": "soon"})
    assert result.returncode == migrate.returncode == 2
    assert "- INFOINTERVIEW_REMINDER_INTERVAL" in migrate.stderr
    assert result.stderr == migrate.stderr


def test_shows_the_web_pages_address_and_masks_their_signing_key(tmp_path: Path) -> None:
    web_secret = "web-signing-key-0123456789-abcdefghij-LMNO"
    result = check_config(tmp_path, INFOINTERVIEW_PUBLIC_URL="https://careers.example.edu/",
                          INFOINTERVIEW_WEB_SECRET=web_secret,
                          INFOINTERVIEW_DATABASE_URL=f"sqlite:///{tmp_path}/x.db")
    assert result.returncode == 0, result.stderr
    lines = {line.split()[0]: line for line in result.stdout.splitlines()
             if line.startswith("  INFOINTERVIEW_")}
    assert "https://careers.example.edu " in lines["INFOINTERVIEW_PUBLIC_URL"] + " "
    assert "environment" in lines["INFOINTERVIEW_PUBLIC_URL"]
    assert "••••LMNO" in lines["INFOINTERVIEW_WEB_SECRET"]
    assert web_secret[:-4] not in result.stdout + result.stderr


@pytest.mark.parametrize(("public_url", "said"), [
    ("", "off (INFOINTERVIEW_PUBLIC_URL is empty: /infointerview dashboard says so)"),
    ("http://127.0.0.1:8080", "links point at http://127.0.0.1:8080, this computer only"),
    ("https://careers.example.edu", "links point at https://careers.example.edu"),
])
def test_says_where_the_web_pages_links_point(tmp_path: Path, public_url: str,
                                              said: str) -> None:
    """A Slack or Discord bot deployed with the default address would send links to
    localhost: check-config says so before anyone clicks one."""
    result = check_config(tmp_path, INFOINTERVIEW_DATABASE_URL=f"sqlite:///{tmp_path}/x.db",
                          INFOINTERVIEW_PUBLIC_URL=public_url)
    assert result.returncode == 0, result.stderr
    [line] = [line for line in result.stdout.splitlines() if line.startswith("Web pages:")]
    assert said in line
    assert ("set INFOINTERVIEW_PUBLIC_URL" in line) == public_url.startswith("http://127.")
