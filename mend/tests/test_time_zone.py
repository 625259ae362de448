"""Server pages write dates in the person's own time zone, as her browser's pages do
(js/time-zone.js tells the server the zone in the mend_tz cookie)."""

from __future__ import annotations

from datetime import UTC, datetime

from django.utils import timezone

from mend.escrow import testing
from mend.escrow.models import Notice, NoticeKind
from mend.middleware import known_zone
from mend.test import BaseTestCase

LATE_EVENING_IN_CHICAGO = datetime(2026, 11, 24, 3, 30, tzinfo=UTC)


class TimeZoneTests(BaseTestCase):
    def notice_date(self, zone: str | None) -> str:
        if zone is not None:
            self.client.cookies["mend_tz"] = zone
        html = self.client.get("/find-others/").content.decode()
        return (
            html.split('data-qa="notice-match"')[1].split('<span class="small">')[1].split("<")[0]
        )

    def test_her_pages_show_the_day_it_was_where_she_is(self) -> None:
        testing.verify(self.alice)
        Notice.objects.create(
            user=self.alice, kind=NoticeKind.MATCH, created_at=LATE_EVENING_IN_CHICAGO
        )
        self.client.force_login(self.alice)
        self.assertEqual(self.notice_date(None), "Nov. 24, 2026")  # no cookie yet: UTC
        self.assertEqual(self.notice_date("America/Chicago"), "Nov. 23, 2026")
        self.assertEqual(self.notice_date("Not/AZone"), "Nov. 24, 2026")  # ignored

    def test_only_real_zone_names_are_used(self) -> None:
        self.assertEqual(str(known_zone("Europe/Madrid")), "Europe/Madrid")
        for name in ("", "../../etc/passwd", "UTC; drop", "A" * 100):
            self.assertIsNone(known_zone(name), name)

    def test_a_request_without_the_cookie_is_back_in_utc(self) -> None:
        self.client.cookies["mend_tz"] = "Asia/Tokyo"
        self.client.get("/")
        self.client.cookies.pop("mend_tz")
        self.client.get("/")
        self.assertEqual(timezone.get_current_timezone_name(), "UTC")
