"""Imports from the back office: a file is read, checked row by row and shown as a dry run
(created / updated / unchanged / rejected, possible duplicates), then applied in one
transaction through the directory's import operations."""
