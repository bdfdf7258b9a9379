"""Errors raised by the routing package. Each carries a stable ``code``."""

from __future__ import annotations


class RoutingError(Exception):
    code = "routing_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidOrientationRequest(RoutingError):
    """A request that cannot be answered as asked; ``field_errors`` maps fields to messages."""

    code = "invalid_orientation_request"

    def __init__(self, message: str, field_errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.field_errors = field_errors or {}


class PlaceNotFound(RoutingError):
    """The address, point or INSEE code matches no known commune."""

    code = "place_not_found"


class BusRouteNotFound(RoutingError):
    code = "bus_route_not_found"


class InvalidSituation(RoutingError):
    """A « bilan des droits » situation that cannot be read; ``field_errors`` maps each
    field to its French messages."""

    code = "invalid_situation"

    def __init__(self, message: str, field_errors: dict[str, list[str]]) -> None:
        super().__init__(message)
        self.field_errors = field_errors


class BusStopNotFound(RoutingError):
    code = "bus_stop_not_found"


class BusVisitNotFound(RoutingError):
    code = "bus_visit_not_found"


class BusScheduleNotFound(RoutingError):
    code = "bus_schedule_not_found"


class InvalidBusSchedule(RoutingError):
    """A recurrence rule, visit edit or on-board list that breaks a rule of the schedule;
    ``field_errors`` maps fields to French messages."""

    code = "invalid_bus_schedule"

    def __init__(self, message: str, field_errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.field_errors = field_errors or {}


class InvalidCoverageRequest(RoutingError):
    """A coverage analysis or plan that cannot be computed as asked (no territory, unknown
    right or territory…); ``field_errors`` maps fields to French messages."""

    code = "invalid_coverage_request"

    def __init__(self, message: str, field_errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.field_errors = field_errors or {}
