"""Chinese by default; English through Django's i18n."""

from django.urls import reverse


def test_pages_speak_chinese_by_default(world):
    page = world.client(world.alice).get(reverse("ledger:household_list")).content.decode()
    assert "被征收户台账" in page and "户主姓名" in page


def test_english_is_one_switch_away(world):
    client = world.client(world.alice)
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("ledger:household_list")})
    assert response.status_code == 302
    page = client.get(reverse("ledger:household_list")).content.decode()
    assert "Household ledger" in page and "Owner" in page and "被征收户台账" not in page


def test_an_english_browser_still_gets_chinese_until_english_is_chosen(db, client):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "登录" in page and "Log in" not in page
    client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert "Log in" in client.get(reverse("login")).content.decode()
