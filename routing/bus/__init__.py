"""The bus des droits: its routes, stops, recurrence rules and dated visits.

- :mod:`.models`: the tables (``BusRoute``, ``BusStop``, ``BusSchedule``, ``BusVisit``, what
  is on board), visit statuses and public-holiday rules;
- :mod:`.recurrence`: RFC 5545 rules expanded on dates, time windows, public holidays (pure);
- :mod:`.schedule`: generating the visits from the rules, and the edits of one visit;
- :mod:`.schedule_file`, :mod:`.import_checks`, :mod:`.imports`: the schedule file (CSV) read
  row by row, checked across rows, and loaded (docs/BUS.md);
- :mod:`.visits`: the one query for visits (by period, place, commune or route) and its row;
- :mod:`.routes`: the routes with their stop count and next visit;
- :mod:`.calendar`: visits as an iCalendar file (RFC 5545).
"""
