"""The coordinators' portal: their own points and groups, nothing for anyone else."""

from .conftest import logged_in


def test_a_coordinator_sees_their_point_and_group(hanoi, net):
    client = logged_in(hanoi.host, "dieuphoi@hanoi.test")
    page = client.get("/portal/").content.decode()
    assert "Điểm Hàng Bạc" in page
    assert "12 Hàng Bạc" in page
    assert "Thứ Bảy 8:00–11:00" in page
    assert "Nhóm hỗ trợ Hoàn Kiếm" in page
    assert "Điểm của người khác" not in page


def test_the_portal_needs_a_fixed_number_of_queries(
    hanoi, net, django_assert_max_num_queries
):
    # given a group with many members and a second point
    from django_tenants.utils import schema_context

    from network.models import Member, PickupPoint

    with schema_context(hanoi.schema):
        extra = [
            Member.objects.create(
                full_name=f"Hội viên {n}", phone=f"+8491300{n:04d}", branch=net.branch
            )
            for n in range(20)
        ]
        net.support_group.members.add(*extra)
        point = PickupPoint.objects.get(pk=net.point.pk)
        point.pk = None
        point.name = "Điểm thứ hai"
        point.save()
        point.coordinators.add(net.coordinator)
    client = logged_in(hanoi.host, "dieuphoi@hanoi.test")

    # then the page costs the same few queries
    with django_assert_max_num_queries(15):
        page = client.get("/portal/").content.decode()
    assert "Hội viên 19" in page and "Điểm thứ hai" in page


def test_anonymous_visitors_are_sent_to_the_portal_login(hanoi_client, net):
    response = hanoi_client.get("/portal/")
    assert response.status_code == 302
    assert response["Location"].startswith("/portal/login/")
    assert hanoi_client.get("/portal/login/").status_code == 200


def test_a_coordinator_signs_in_on_the_portal_login(hanoi_client, net):
    from tests.conftest import PASSWORD

    response = hanoi_client.post(
        "/portal/login/", {"username": "dieuphoi@hanoi.test", "password": PASSWORD}
    )
    assert response["Location"] == "/portal/"


def test_staff_producers_and_members_get_404(hanoi, net, hanoi_personas):
    for role in ("staff", "producer", "member"):
        client = logged_in(hanoi.host, hanoi_personas[role])
        assert client.get("/portal/").status_code == 404, role


def test_a_coordinator_from_hue_gets_nothing_on_hanoi(hanoi, hue, net):
    from django_tenants.utils import schema_context

    from tenants import roles

    from .conftest import make_user

    with schema_context(hue.schema):
        make_user("dieuphoi@hue.test", roles.COORDINATORS)
    client = logged_in(hanoi.host, "dieuphoi@hue.test")
    response = client.get("/portal/")
    assert response.status_code == 302  # not signed in here: Huế's account is unknown
    own = logged_in(hue.host, "dieuphoi@hue.test")
    page = own.get("/portal/").content.decode()
    assert "Điểm Hàng Bạc" not in page


def test_a_point_coordinator_reaches_the_orders_of_her_points(hanoi, net):
    client = logged_in(hanoi.host, "dieuphoi@hanoi.test")

    page = client.get("/portal/").content.decode()

    assert '<a class="button" href="/portal/dieu-phoi/don-hang/">' in page
    assert "Đơn hàng tại điểm của tôi" in page
    assert client.get("/portal/dieu-phoi/don-hang/").status_code == 200
