"""The admin speaks Vietnamese: every list and add page of our models (and a change page, where adding is not
allowed or the page has inlines) as a superuser, over the demo's data, names no model, field, column, filter or
inline in English."""

import re
from html import unescape

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from dieuhanh.demo.build import demo_build

pytestmark = pytest.mark.django_db

OUR_APPS = ("accounts", "orgunits", "indicators", "reporting", "assignments", "dashboard", "api", "webhooks",
            "monitoring", "alerts", "commendations", "reports")
# Where the admin prints a name: page and section titles, field labels, column heads, filter titles, and the
# app's entry in the index and the breadcrumbs.
NAMED = re.compile(r"<(h1|h2|h3|label|th|caption|title)\b[^>]*>(.*?)</\1>|<a class=\"section\"[^>]*>(.*?)</a>", re.S)


# Names written the same in both languages.
SAME_IN_BOTH = {"id", "url", "email", "e-mail"}


def english_names() -> dict[str, str]:
    """Every name a model, field or app of ours has in English (lower case) → where it comes from."""
    names: dict[str, str] = {}
    for model in apps.get_models():
        meta = model._meta
        if meta.app_label not in OUR_APPS:
            continue
        items = [(meta.verbose_name, meta.label), (meta.verbose_name_plural, meta.label),
                 (meta.app_config.verbose_name, meta.app_label)]
        items += [(f.verbose_name, f"{meta.label}.{f.name}") for f in meta.get_fields()
                  if getattr(f, "verbose_name", None) and not f.auto_created]
        for name, origin in items:
            with translation.override("en"):
                english = str(name).lower()
            if english not in SAME_IN_BOTH:
                names[english] = origin
    return names


def texts_named(html: str) -> list[str]:
    found = []
    for match in NAMED.finditer(html):
        text = re.sub(r"<[^>]+>", " ", match.group(2) or match.group(3) or "")
        text = " ".join(unescape(text).split()).rstrip(":").lower()
        if text:
            found.append(text)
    return found


def pages_of(model, model_admin) -> list[str]:
    meta = model._meta
    urls = [reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")]
    first = model.objects.order_by("pk").first()
    if first is not None:
        urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[first.pk]))
    try:
        urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_add"))
    except NoReverseMatch:
        pass
    return urls


def test_every_admin_page_of_ours_names_things_in_vietnamese(client):
    demo_build(small=True)
    client.force_login(get_user_model().objects.get(username="admin"))
    translation.activate("vi")
    english = english_names()
    assert "indicator" in english and "data value" in english  # the check knows the English it looks for
    words = {name: re.compile(rf"(^|\W){re.escape(name)}($|\W)") for name in english}
    registered = [(m, a) for m, a in admin.site._registry.items() if m._meta.app_label in OUR_APPS]
    assert len(registered) >= 15
    problems = []
    for url in [reverse("admin:index")] + [url for m, a in registered for url in pages_of(m, a)]:
        response = client.get(url)
        if response.status_code == 403:  # read-only models refuse the add page
            continue
        assert response.status_code == 200, url
        for text in texts_named(response.content.decode()):
            problems += [f"{url}: '{text}' ({english[name]})" for name, word in words.items() if word.search(text)]
    assert problems == [], "\n".join(problems)
