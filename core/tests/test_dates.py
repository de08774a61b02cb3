from datetime import UTC, date, datetime

from core.dates import date_at_time, date_time, short_date

WINTER = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)  # 10:30 in Paris
SUMMER = datetime(2026, 7, 14, 9, 30, tzinfo=UTC)  # 11:30 in Paris


def test_dates_are_french_and_in_paris_time():
    assert short_date(WINTER) == "02/03/2026"
    assert short_date(date(2026, 12, 31)) == "31/12/2026"
    assert date_at_time(WINTER) == "02/03/2026 à 10:30"
    assert date_at_time(SUMMER) == "14/07/2026 à 11:30"
    assert date_time(SUMMER) == "14/07/2026 11:30"
