"""The README's table of demo logins is the demo's: the same usernames, each logging in with the password it names."""

from __future__ import annotations

import re
from pathlib import Path

from django.test import Client
from django.urls import reverse

from dieuhanh.accounts.passwords import DEMO_PASSWORD
from dieuhanh.demo.build import demo_build

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_logins() -> set[str]:
    """The first column of the README's login table (rows "| `username` | role, unit | ... |")."""
    start = README.read_text(encoding="utf-8").split("## Start", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([a-z0-9.]+)` \|", start, re.MULTILINE))


def test_the_readme_names_the_demo_logins_and_password(db):
    logins = demo_build(small=True).logins
    assert readme_logins() == {login.username for login in logins}
    assert f"`{DEMO_PASSWORD}`" in README.read_text(encoding="utf-8")
    for login in logins:
        assert login.password == DEMO_PASSWORD
        client = Client()
        answer = client.post(reverse("login"), {"username": login.username, "password": DEMO_PASSWORD})
        assert answer.status_code == 302 and answer["Location"] != reverse("login"), login.username
        assert client.get(reverse("home")).status_code == 200, login.username
