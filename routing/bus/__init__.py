"""The bus des droits: its routes, stops and dated visits.

- :mod:`.models`: the tables (``BusRoute``, ``BusStop``, ``BusVisit``) and visit statuses;
- :mod:`.visits`: the one query for visits (by period, place, commune or route) and its row;
- :mod:`.routes`: the routes with their stop count and next visit;
- :mod:`.calendar`: a route's visits as an iCalendar file (RFC 5545).
"""
