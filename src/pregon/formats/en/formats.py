"""English dates as the platform's English-speaking readers in the Americas write them.

Day, month, year and a 24-hour clock ("10 Dec 2026, 15:00"): unambiguous between the
Caribbean's day-first and the United States' month-first habits, and no "p.m." whose full
stop doubles the one ending a sentence. Short forms are ISO 8601 ("2026-12-10 15:00").
"""

DATE_FORMAT = "j M Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
