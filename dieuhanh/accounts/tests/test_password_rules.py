"""Password rules for a level-3 system (TCVN 11930:2017): length, three kinds of character, not one's own names, not
one of the last PASSWORD_HISTORY passwords (their hashes kept, nothing more), with messages in Vietnamese."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from dieuhanh.accounts.models import PasswordHistory, Role
from dieuhanh.accounts.password_rules import character_kinds
from dieuhanh.conftest import make_user

FIRST = "Mat-khau-dau-2026"


@pytest.fixture
def person(province):
    user = make_user("nguyenvanan", Role.LEADER, province)
    user.first_name, user.last_name = "An", "Nguyễn Văn"
    user.email = "an.nv@tayninh.gov.vn"
    user.set_password(FIRST)
    user.save()
    return user


def refusals(password, user=None) -> list[str]:
    try:
        with translation.override("vi"):  # as every page is, by default
            validate_password(password, user)
    except ValidationError as error:
        return error.messages
    return []


def change(client, old, new):
    return client.post(reverse("password_change"), {"old_password": old, "new_password1": new,
                                                    "new_password2": new})


def test_it_counts_the_kinds_of_character_vietnamese_letters_included():
    assert character_kinds("abcdefgh") == 1
    assert character_kinds("Đường-phố") == 3  # capital Đ, lower-case ư ờ, the hyphen
    assert character_kinds("Abc12345") == 3
    assert character_kinds("aB1!") == 4


def test_it_refuses_short_simple_and_common_passwords_in_vietnamese(person):
    assert "Mật khẩu quá ngắn. Nó phải chứa ít nhất 8 ký tự." in refusals("Ab1!xyz", person)
    simple = "Mật khẩu phải có ít nhất 3 trong 4 loại ký tự: chữ thường, chữ hoa, chữ số, ký hiệu."
    assert simple in refusals("abcdefghij", person)
    assert simple in refusals("abcdefgh12", person)  # two kinds only
    assert refusals("abcdefgh12!", person) == []  # three kinds
    assert refusals("Đồng-Khởi-2026", person) == []
    assert "Mật khẩu này quá phổ biến." in refusals("Password123", person)


def test_the_minimum_length_is_a_setting(person, settings):
    settings.AUTH_PASSWORD_VALIDATORS = [
        {**v, "OPTIONS": {"min_length": 12}} if v["NAME"].endswith("MinimumLengthValidator") else v
        for v in settings.AUTH_PASSWORD_VALIDATORS]
    assert "Mật khẩu quá ngắn. Nó phải chứa ít nhất 12 ký tự." in refusals("Ab1!wxyz-23", person)
    assert refusals("Ab1!wxyz-234", person) == []


def test_it_refuses_the_persons_own_names_whatever_the_case_and_marks(person):
    own = "Mật khẩu không được chứa tên đăng nhập hoặc họ tên của bạn."
    for password in ("NguyenVanAn@2026", "x-Nguyễn-Văn-An-9", "2026!an.NV-tayninh", "An-Nguyễn-Văn-2026"):
        assert own in refusals(password, person), password
    assert own not in refusals("Hoa-Sen-2026!x", person)
    assert own not in refusals("Hoa-Sen-2026!x", None)  # no person (a new account's form): nothing to compare


def test_it_keeps_only_hashes_and_refuses_the_last_five(client, person):
    history = list(PasswordHistory.objects.filter(user=person).values_list("password", flat=True))
    assert history == [person.password] and FIRST not in history[0]  # the hash, never the password
    client.force_login(person)
    passwords = [FIRST] + [f"Mat-khau-so-{n}!" for n in range(1, 6)]
    for old, new in zip(passwords, passwords[1:], strict=False):
        assert change(client, old, new).status_code == 302, new
    assert PasswordHistory.objects.filter(user=person).count() == 5  # no more than it needs
    current = passwords[-1]
    for recent in passwords[1:-1]:  # the last five are the current one and these four
        page = change(client, current, recent).content.decode()
        assert "Mật khẩu phải khác 5 mật khẩu gần nhất của bạn." in page, recent
    person.refresh_from_db()
    assert person.check_password(current)
    # The first is six passwords ago: allowed again.
    assert change(client, current, FIRST).status_code == 302
    person.refresh_from_db()
    assert person.check_password(FIRST)


def test_a_password_set_before_the_history_was_kept_still_counts(person):
    PasswordHistory.objects.filter(user=person).delete()  # as for a person from before this feature
    assert "Mật khẩu phải khác 5 mật khẩu gần nhất của bạn." in refusals(FIRST, person)
    assert refusals("Mat-khau-khac-2026", person) == []


def test_a_rehash_of_the_same_password_is_no_change(person):
    """Django re-hashes a password at login when its hasher's cost rises: that must not fill the history."""
    person.set_password(FIRST)
    person.save()
    assert PasswordHistory.objects.filter(user=person).count() == 1


def test_the_history_size_is_a_setting(client, person, settings):
    settings.PASSWORD_HISTORY = 2
    client.force_login(person)
    assert change(client, FIRST, "Mat-khau-so-1!").status_code == 302
    assert change(client, "Mat-khau-so-1!", "Mat-khau-so-2!").status_code == 302
    assert "Mật khẩu phải khác 2 mật khẩu gần nhất của bạn." in change(
        client, "Mat-khau-so-2!", "Mat-khau-so-1!").content.decode()
    assert change(client, "Mat-khau-so-2!", FIRST).status_code == 302  # three passwords ago
    assert PasswordHistory.objects.filter(user=person).count() == 2


def test_the_change_form_lists_the_rules(client, person):
    client.force_login(person)
    page = client.get(reverse("password_change")).content.decode()
    assert "Mật khẩu phải có ít nhất 3 trong 4 loại ký tự" in page
    assert "Mật khẩu phải khác 5 mật khẩu gần nhất của bạn." in page
