"""Audit rules on people: 二次补偿 (an ID number, a certificate, a parcel compensated twice, across projects),
one phone shared by unrelated households, possible duplicate people."""

from datetime import date
from decimal import Decimal

from gaizao.audit.rules.people import body, one_apart, related_groups
from gaizao.core.idcard import make_id_number
from gaizao.ledger.services import member_create
from gaizao.projects.services import project_create
from tests.audit.test_rules import fast_passwords, found, new_household, publish, signed  # noqa: F401

OWNER_ID = "11010519491231002X"  # the world's 张三明, owner of A001


# ---- 3. 二次补偿 ----------------------------------------------------------------------------------------


def test_the_same_id_certificate_and_parcel_compensated_twice_across_projects(world):
    w = world
    publish(w, w.project)
    nanhu = project_create(
        code="nanhu", name="南湖片区改造", kind="shantytown", district=w.district, freeze_date=date(2026, 5, 15)
    )
    publish(w, nanhu)
    house = {
        "location": "人民路1号",
        "certificate_no": "江北房权证字第0001号",
        "certified_area": Decimal("100.00"),
        "land_area": Decimal("60.00"),
        "appraised_unit_price": Decimal("6000.00"),
    }
    w.house_a.properties.update(certificate_no=house["certificate_no"], land_area=house["land_area"])
    second = new_household(w, "N001", "张三明", project=nanhu, id_number=OWNER_ID, properties=[house])
    signed(w, w.house_a, w.alice.user, signed_on=date(2026, 8, 3))
    assert found("compensated_twice") == []  # N001 has the same ID, certificate and parcel, but no money yet

    agreement = signed(w, second, w.alice.user, signed_on=date(2026, 9, 1))
    by_what = {f.figures["by"]: f for f in found("compensated_twice")}
    assert set(by_what) == {"身份证号", "产权证号", "地块"}
    for finding in by_what.values():  # about the later compensation; the earlier one listed beside it
        assert finding.household_id == second.pk and finding.agreement_id == agreement.pk
        assert [h["household_id"] for h in finding.figures["households"]] == [w.house_a.pk, second.pk]
        assert [h["on"] for h in finding.figures["households"]] == ["2026-08-03", "2026-09-01"]
        assert "跨 2 个项目" in finding.summary
    assert by_what["身份证号"].figures["value"] == "1101**********002X"  # never the full number
    assert OWNER_ID not in str(by_what["身份证号"].figures) and OWNER_ID not in by_what["身份证号"].key
    assert by_what["产权证号"].severity == "high" and by_what["地块"].severity == "medium"
    assert by_what["地块"].figures["value"] == "人民路1号（土地面积 60.00㎡）"
    assert found("compensated_twice", project_ids=[nanhu.pk]) and found("compensated_twice", project_ids=[w.project.pk])


def test_a_member_compensated_in_another_household(world):
    w = world
    publish(w, w.project)
    member_create(by=w.bob.user, household=w.house_b, name="张三明", relation="父亲", id_number=OWNER_ID)
    signed(w, w.house_a, w.alice.user)
    signed(w, w.house_b, w.bob.user, signed_on=date(2026, 8, 5))
    [finding] = found("compensated_twice")
    assert finding.household_id == w.house_b.pk
    assert [h["as"] for h in finding.figures["households"]] == [["户主"], ["家庭成员"]]


# ---- 9. one phone shared by unrelated households -------------------------------------------------------


def test_one_phone_shared_by_unrelated_households(world):
    w = world
    other = new_household(w, "B010", "赵六", street=w.street_b, phone="13812345678")  # A001's phone
    [finding] = found("shared_contact")
    assert finding.household_id == other.pk and finding.figures["value"] == "138****5678"
    assert {h["household_id"] for h in finding.figures["households"]} == {w.house_a.pk, other.pk}
    assert "互无亲属关系" in finding.summary

    member_create(by=w.bob.user, household=other, name="张三明", relation="父亲")  # A001's owner: related after all
    assert found("shared_contact") == []


def test_households_are_related_through_any_shared_name():
    names = {1: {"张三"}, 2: {"李四", "张三"}, 3: {"王五"}, 4: {"王五", "赵六"}, 5: {"钱七"}}
    assert related_groups([1, 2, 3, 4, 5], names) == [[1, 2], [3, 4], [5]]


# ---- 11. possible duplicate people ---------------------------------------------------------------------


def test_the_same_id_number_registered_in_two_households(world):
    w = world
    assert found("duplicate_person") == []
    member_create(by=w.bob.user, household=w.house_b, name="张三明", relation="父亲", id_number=OWNER_ID)
    [finding] = found("duplicate_person")
    assert finding.household_id == w.house_b.pk  # where the person is a member, not the owner
    assert finding.figures["by"] == "身份证号" and finding.figures["count"] == 2
    assert {p["as"] for p in finding.figures["people"]} == {"户主", "家庭成员"}


def test_same_name_and_birth_date_under_two_id_numbers(world):
    born = date(1980, 3, 4)
    first = new_household(world, "A020", "钱七", id_number=make_id_number("110105", born, 1, True))
    second = new_household(
        world, "B020", "钱七", street=world.street_b, id_number=make_id_number("110105", born, 2, True)
    )
    new_household(world, "B021", "孙八", street=world.street_b, id_number=make_id_number("110105", born, 3, True))
    [finding] = found("duplicate_person")
    assert finding.figures["by"] == "姓名与出生日期" and finding.figures["birth"] == "1980-03-04"
    assert finding.household_id == max(first.pk, second.pk) and finding.severity == "low"
    assert "同名同出生日期（钱七，1980-03-04）有 2 个不同身份证号" in finding.summary


def test_id_numbers_of_one_name_one_digit_apart(world):
    near = make_id_number("110105", date(1975, 6, 12), 7, False)
    far = make_id_number("110105", date(1975, 6, 13), 7, False)  # the day's last digit typed wrong
    assert one_apart(near, far) and near[-1] != far[-1]  # two valid numbers: the check digits differ too
    new_household(world, "A030", "吴九", id_number=near)
    other = make_id_number("110105", date(1975, 6, 14), 7, False)
    new_household(world, "B030", "郑十", street=world.street_b, id_number=other)
    assert found("duplicate_person") == []  # one digit apart too, but another name: another person
    new_household(world, "B031", "吴九", street=world.street_b, id_number=far)
    [finding] = found("duplicate_person")
    assert finding.figures["by"] == "身份证号仅差一位" and finding.figures["count"] == 2
    assert finding.severity == "medium"


def test_an_old_15_digit_number_is_compared_in_its_18_digit_form():
    assert body("110105750612071") == "11010519750612071"
    assert one_apart("110105750612075", make_id_number("110105", date(1975, 6, 13), 7, True))
