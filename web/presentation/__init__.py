"""One presentation of the directory's content (partners, orientation answers), shared by
the JSON API and the pages: labels, opening status in words, addresses."""

from web.presentation.partners import partner_documents

__all__ = ["partner_documents"]
