"""The administrator's admin of the commendation rules and register: every page opens in Vietnamese and names no
model, field or column in English; the rules are editable there, the register is read-only."""

import datetime
import gettext
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation

from dieuhanh.commendations.models import Award, BaseSalary
from dieuhanh.commendations.services import award_record, movement_create, registration_create
from dieuhanh.tests.test_admin_vietnamese import SAME_IN_BOTH, pages_of, texts_named

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client, db):
    user = get_user_model().objects.create_superuser("root", "root@example.vn", "secret-pass-123")
    client.force_login(user)
    translation.activate("vi")
    yield client
    translation.deactivate()


@pytest.fixture
def register(an, dept, kind, director_decision):
    movement = movement_create(name="Phong trào thi đua năm 2025", organiser=dept, start_date=datetime.date(2025, 1, 1))
    registration_create(year=2025, person=an, titles=[kind("LDTT")], registered_on=datetime.date(2025, 2, 1),
                        movement=movement)
    return award_record(decision=director_decision, kind=kind("LDTT"), person=an, year=2025,
                        achievement=Award.Achievement.TITLE)


def _english_names() -> dict[str, str]:
    names = {}
    config = apps.get_app_config("commendations")
    with translation.override("en"):
        names[str(config.verbose_name).lower()] = "app"
        for model in config.get_models():
            meta = model._meta
            fields = [f.verbose_name for f in meta.get_fields()
                      if getattr(f, "verbose_name", None) and not f.auto_created]
            for name in [meta.verbose_name, meta.verbose_name_plural, *fields]:
                names[str(name).lower()] = meta.label
    return {name: origin for name, origin in names.items() if name not in SAME_IN_BOTH}


def test_every_commendations_admin_page_speaks_vietnamese(superuser_client, register):
    english = _english_names()
    assert "award register" in english and "reward multiple" in english  # the check knows the English it looks for
    words = {name: re.compile(rf"(^|\W){re.escape(name)}($|\W)") for name in english}
    registered = [(m, a) for m, a in admin.site._registry.items() if m._meta.app_label == "commendations"]
    assert len(registered) == 11
    problems, opened = [], 0
    for url in [reverse("admin:app_list", args=["commendations"])] + [u for m, a in registered for u in pages_of(m, a)]:
        response = superuser_client.get(url)
        if response.status_code == 403:  # the register's add pages: written through the services
            continue
        assert response.status_code == 200, url
        opened += 1
        for text in texts_named(response.content.decode()):
            problems += [f"{url}: '{text}' ({english[name]})" for name, word in words.items() if word.search(text)]
    assert problems == [], "\n".join(problems)
    assert opened >= 26


def test_it_lists_the_rules_with_what_awaits_confirmation(superuser_client):
    page = superuser_client.get(reverse("admin:commendations_awardkind_changelist")).content.decode()
    assert "Thi đua, khen thưởng" in page and "Lao động tiên tiến" in page and "chờ xác nhận" in page
    page = superuser_client.get(reverse("admin:commendations_rewardmultiple_changelist"),
                                {"confirmed__exact": "0"}).content.decode()
    assert "Giấy khen (cá nhân)" in page and "Lao động tiên tiến" not in page


def test_an_administrator_adds_a_new_base_salary(superuser_client):
    response = superuser_client.post(reverse("admin:commendations_basesalary_add"), {
        "amount": "2600000", "valid_from": "01/07/2026", "legal_source": "NĐ …/2026/NĐ-CP"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert BaseSalary.objects.get(valid_from=datetime.date(2026, 7, 1)).amount == 2_600_000


def test_the_register_is_read_only_in_the_admin(superuser_client, register):
    assert superuser_client.get(reverse("admin:commendations_award_add")).status_code == 403
    url = reverse("admin:commendations_award_change", args=[register.pk])
    response = superuser_client.post(url, {"year": "2020"})
    assert response.status_code == 403
    register.refresh_from_db()
    assert register.year == 2025
    page = superuser_client.get(reverse("admin:commendations_award_changelist")).content.decode()
    assert "Sổ khen thưởng" in page and "Nguyễn Văn An" in page and "710.000" in page


def test_people_are_found_without_diacritics(superuser_client, an, binh):
    page = superuser_client.get(reverse("admin:commendations_person_changelist"), {"q": "nguyen van an"})
    text = page.content.decode()
    assert "Nguyễn Văn An" in text and "Trần Thị Bình" not in text


def test_our_labels_are_not_taken_over_by_another_apps_catalogue():
    # Catalogues earlier in LOCALE_PATHS or INSTALLED_APPS win for the same msgid ("category" is "nhóm hệ thống" in
    # monitoring's): the words this app shows must be the ones its own catalogue gives.
    path = Path(apps.get_app_config("commendations").path) / "locale" / "vi" / "LC_MESSAGES" / "django.mo"
    with path.open("rb") as mo:
        ours = gettext.GNUTranslations(mo)
    msgids = [msgid for msgid in ours._catalog if isinstance(msgid, str) and msgid]
    assert len(msgids) > 100
    with translation.override("vi"):
        shown = {msgid: translation.gettext(msgid) for msgid in msgids}
    differ = {msgid: (vi, ours.gettext(msgid)) for msgid, vi in shown.items()
              if vi.lower() != ours.gettext(msgid).lower()}  # the admin capitalises labels anyway
    assert differ == {}
