"""The report every import prints: rows read, created, updated, unchanged, rejected (with why)."""

from __future__ import annotations

from dataclasses import dataclass, field

from geodata.errors import ImportFileRejected


@dataclass(frozen=True)
class RowProblem:
    line: int
    reason: str
    value: str = ""

    def describe(self) -> str:
        suffix = f" ({self.value})" if self.value else ""
        return f"ligne {self.line} : {self.reason}{suffix}"


@dataclass
class ImportReport:
    dataset: str
    file_name: str
    rows_read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    merged: int = 0
    """Rows that describe the same place as another row of the file, joined to its record."""
    rejected: list[RowProblem] = field(default_factory=list)
    skipped: list[RowProblem] = field(default_factory=list)
    """Rows left out on purpose (outside what this import is for), each with why."""
    warnings: list[RowProblem] = field(default_factory=list)
    applied: bool = False

    def reject(self, line: int, reason: str, value: str = "") -> None:
        self.rejected.append(RowProblem(line, reason, value))

    def skip(self, line: int, reason: str, value: str = "") -> None:
        self.skipped.append(RowProblem(line, reason, value))

    def warn(self, line: int, reason: str, value: str = "") -> None:
        self.warnings.append(RowProblem(line, reason, value))

    @property
    def accepted(self) -> int:
        return self.rows_read - len(self.rejected) - len(self.skipped) - self.merged

    def refuse_if_mostly_rejected(self, max_ratio: float) -> None:
        """Refuse the whole file when too many rows are bad: probably not the expected file.

        Rows skipped on purpose are not bad rows: the ratio is taken over the others.
        """
        considered = self.rows_read - len(self.skipped)
        if considered and len(self.rejected) / considered > max_ratio:
            raise ImportFileRejected(
                f"{self.file_name} : {len(self.rejected)} lignes rejetées sur {self.rows_read} "
                f"(plus de {max_ratio:.0%}) : fichier refusé, rien n'a été modifié.",
                self,
            )

    def summary(self) -> str:
        state = "appliqué" if self.applied else "NON appliqué (aucune modification)"
        return (
            f"{self.dataset} ({self.file_name}) : {self.rows_read} lignes lues, "
            f"{self.created} créées, {self.updated} mises à jour, {self.unchanged} inchangées, "
            f"{len(self.rejected)} rejetées, "
            + (f"{len(self.skipped)} écartées (hors champ), " if self.skipped else "")
            + (f"{self.merged} réunies à une autre ligne, " if self.merged else "")
            + f"{len(self.warnings)} avertissements"
            + (f", {self.deleted} supprimées" if self.deleted else "")
            + f" — {state}"
        )

    def lines(self, limit: int = 50) -> list[str]:
        out = [self.summary()]
        if self.skipped:
            out.append("Écartées (hors champ), par motif :")
            tally: dict[str, int] = {}
            for problem in self.skipped:
                tally[problem.reason] = tally.get(problem.reason, 0) + 1
            out.extend(f"  - {reason} : {count} lignes" for reason, count in tally.items())
        for title, problems in (("Rejets", self.rejected), ("Avertissements", self.warnings)):
            if problems:
                out.append(f"{title} :")
                out.extend(f"  - {p.describe()}" for p in problems[:limit])
                if len(problems) > limit:
                    out.append(f"  … et {len(problems) - limit} autres")
        return out
