"""Importing a ledger from the browser (upload → preview → confirm) and through the API."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gaizao.ledger.models import Household, HouseholdEvent
from tests.ledger.workbooks import Sheet, database_state, person_id, record, table, write_csv, write_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def upload(tmp_path, *records, name="城关街道台账.xlsx") -> SimpleUploadedFile:
    path = write_xlsx(tmp_path / name, Sheet("城关街道", table(records)))
    return SimpleUploadedFile(name, path.read_bytes(), content_type=XLSX)


def good_upload(tmp_path):
    return upload(
        tmp_path,
        record("C001", "陈国华", "人民路3号", 身份证号=person_id(1), 证载面积=85.5),
        record("C001", "陈国华", "人民路3号附房", 证载面积=20),
        record("C002", "刘红", "人民路5号", 证载面积=60),
    )


def mixed_upload(tmp_path):
    return upload(
        tmp_path,
        record("C001", "陈国华", "人民路3号", 证载面积=85.5),
        record("C002", "刘红", "人民路5号", 证载面积="约60"),
        record("C003", "孙立", "人民路9号", 证载面积=70),
    )


def preview(client, world, file):
    response = client.post(reverse("ledger:import"), {"project": world.project.pk, "file": file})
    assert response.status_code == 200
    assert "ledger/import_preview.html" in [t.name for t in response.templates]
    return response


def confirm(client, response, **extra):
    token = response.context["confirm_form"].initial["token"]
    return client.post(reverse("ledger:import_confirm"), {"token": token, **extra})


def numbers():
    return set(Household.objects.values_list("number", flat=True))


# ---- the pages ----------------------------------------------------------------------------------


def test_a_street_official_sees_the_upload_page(world):
    response = world.client(world.alice).get(reverse("ledger:import"))

    assert response.status_code == 200
    assert "导入入户调查台账" in response.content.decode()
    assert list(response.context["form"].fields["project"].queryset) == [world.project]


def test_uploading_shows_a_preview_with_the_counts_and_writes_nothing(world, tmp_path):
    before = database_state()

    response = preview(world.client(world.alice), world, good_upload(tmp_path))

    report = response.context["report"]
    assert (report.households_created, report.properties_created, report.rejected) == (2, 3, [])
    html = response.content.decode()
    assert "新增户" in html and "陈国华" in html and "确认导入" in html
    assert database_state() == before


def test_the_preview_lists_each_rejected_row_with_sheet_row_column_and_reason(world, tmp_path):
    before = database_state()

    response = preview(world.client(world.alice), world, mixed_upload(tmp_path))

    [rejection] = response.context["report"].rejected
    assert (rejection["sheet"], rejection["row"], rejection["column"]) == ("城关街道", 3, "证载面积")
    html = response.content.decode()
    assert "被拒绝的行" in html
    assert f"<td>城关街道</td><td>3</td><td>证载面积</td><td>{rejection['reason']}</td>" in html
    assert "约60" in rejection["reason"]
    assert database_state() == before


def test_confirming_writes_what_the_preview_showed(world, tmp_path):
    client = world.client(world.alice)
    shown = preview(client, world, good_upload(tmp_path))

    response = confirm(client, shown)

    assert response.status_code == 200
    assert response.context["report"].written
    assert numbers() == {"A001", "B001", "B002", "C001", "C002"}
    created = HouseholdEvent.objects.filter(household__number="C001").get()
    assert (created.kind, created.by) == ("created", world.alice.user)


def test_confirming_twice_writes_once(world, tmp_path):
    client = world.client(world.alice)
    shown = preview(client, world, good_upload(tmp_path))
    confirm(client, shown)
    after_first = database_state()

    response = confirm(client, shown)

    assert response.status_code == 302
    assert database_state() == after_first


def test_confirming_a_file_with_rejected_rows_without_valid_only_writes_nothing(world, tmp_path):
    client = world.client(world.alice)
    shown = preview(client, world, mixed_upload(tmp_path))
    before = database_state()

    response = confirm(client, shown)

    assert response.status_code == 200
    assert not response.context["report"].written
    assert "未写入" in response.content.decode()
    assert database_state() == before


def test_confirming_with_valid_only_writes_the_valid_households(world, tmp_path):
    client = world.client(world.alice)
    shown = preview(client, world, mixed_upload(tmp_path))

    response = confirm(client, shown, valid_only="on")

    assert response.context["report"].written
    assert numbers() == {"A001", "B001", "B002", "C001", "C003"}


def test_a_csv_can_be_uploaded(world, tmp_path):
    path = write_csv(tmp_path / "城关街道.csv", table([record("0012", "陈国华", "人民路3号")]), "gbk")
    client = world.client(world.alice)
    shown = preview(client, world, SimpleUploadedFile("城关街道.csv", path.read_bytes(), content_type="text/csv"))

    confirm(client, shown)

    assert Household.objects.get(number="0012").owner_name == "陈国华"


def test_a_street_official_importing_another_streets_rows_gets_them_rejected(world, tmp_path):
    client = world.client(world.alice)
    file = upload(
        tmp_path,
        record("C001", "陈国华", "人民路3号"),
        record("J001", "吴桂英", "江滨路20号", street="江滨街道"),
    )

    shown = preview(client, world, file)

    [rejection] = shown.context["report"].rejected
    assert (rejection["sheet"], rejection["row"], rejection["column"]) == ("城关街道", 3, "所属街道")
    assert "无权" in rejection["reason"]
    confirm(client, shown, valid_only="on")
    assert numbers() == {"A001", "B001", "B002", "C001"}


def test_a_street_official_may_not_change_another_streets_household(world, tmp_path):
    client = world.client(world.alice)
    file = upload(tmp_path, record("B001", "李四", "江滨路8号", street="城关街道", 证载面积=100))
    before = database_state()

    shown = preview(client, world, file)
    confirm(client, shown, valid_only="on")

    [rejection] = shown.context["report"].rejected
    assert "无权" in rejection["reason"]
    assert database_state() == before


@pytest.mark.parametrize("who", ["lee", "ivy", "tom"])
def test_officials_without_the_import_right_are_refused(world, tmp_path, who):
    client = world.client(getattr(world, who))

    assert client.get(reverse("ledger:import")).status_code == 403
    posted = client.post(reverse("ledger:import"), {"project": world.project.pk, "file": good_upload(tmp_path)})
    assert posted.status_code == 403
    assert client.post(reverse("ledger:import_confirm"), {"token": "x" * 32}).status_code == 403
    assert numbers() == {"A001", "B001", "B002"}


def test_the_public_is_sent_to_the_login_page(world):
    response = world.client(None).get(reverse("ledger:import"))

    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_an_official_of_another_district_cannot_pick_this_project(world, tmp_path):
    client = world.client(world.pat)
    before = database_state()

    response = client.post(reverse("ledger:import"), {"project": world.project.pk, "file": good_upload(tmp_path)})

    assert response.status_code == 200
    assert "project" in response.context["form"].errors
    assert database_state() == before


# ---- the API ------------------------------------------------------------------------------------


def api_import(client, file, **fields):
    return client.post(reverse("api:imports"), {"project": "beizhan", "file": file, **fields})


def test_the_api_dry_run_returns_the_report_and_writes_nothing(world, tmp_path):
    before = database_state()

    response = api_import(world.client(world.alice), good_upload(tmp_path), dry_run="true")

    assert response.status_code == 200
    report = response.json()
    assert (report["households_created"], report["properties_created"], report["rejected"]) == (2, 3, [])
    assert database_state() == before


def test_the_api_import_writes(world, tmp_path):
    response = api_import(world.client(world.alice), good_upload(tmp_path))

    assert response.status_code == 200
    assert response.json()["households_created"] == 2
    assert numbers() == {"A001", "B001", "B002", "C001", "C002"}


def test_the_api_answers_422_when_rows_are_rejected_and_nothing_is_written(world, tmp_path):
    before = database_state()

    response = api_import(world.client(world.alice), mixed_upload(tmp_path))

    assert response.status_code == 422
    [rejection] = response.json()["rejected"]
    assert (rejection["sheet"], rejection["row"], rejection["column"]) == ("城关街道", 3, "证载面积")
    assert database_state() == before


def test_the_api_with_valid_only_writes_the_valid_households(world, tmp_path):
    response = api_import(world.client(world.alice), mixed_upload(tmp_path), valid_only="true")

    assert response.status_code == 200
    assert numbers() == {"A001", "B001", "B002", "C001", "C003"}


def test_the_api_answers_400_for_a_file_that_is_not_a_workbook(world):
    file = SimpleUploadedFile("台账.xlsx", bytes(range(256)), content_type=XLSX)

    response = api_import(world.client(world.alice), file)

    assert response.status_code == 400
    assert "台账.xlsx" in response.json()["file"][0]
    assert numbers() == {"A001", "B001", "B002"}


def test_the_api_refuses_officials_without_the_import_right(world, tmp_path):
    response = api_import(world.client(world.lee), good_upload(tmp_path))

    assert response.status_code == 403
    assert numbers() == {"A001", "B001", "B002"}


def test_the_api_answers_404_for_a_project_the_official_cannot_see(world, tmp_path):
    response = api_import(world.client(world.pat), good_upload(tmp_path))

    assert response.status_code == 404
    assert numbers() == {"A001", "B001", "B002"}


def test_the_api_refuses_the_public(world, tmp_path):
    response = api_import(world.client(None), good_upload(tmp_path))

    assert response.status_code in (401, 403)
    assert numbers() == {"A001", "B001", "B002"}


def test_the_preview_masks_id_numbers_and_phones_for_an_official_who_may_not_reveal(world, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    content = "户号,户主姓名,身份证号,联系电话,所属街道,房屋坐落\nA001,张三明,,,城关街道,人民路1号\n".encode()
    page = (
        world.client(world.alice)
        .post(
            reverse("ledger:import"),
            {"project": world.project.pk, "file": SimpleUploadedFile("ledger.csv", content)},
        )
        .content.decode()
    )
    assert "11010519491231002X" not in page and "1101**********002X" in page
    assert "13812345678" not in page
