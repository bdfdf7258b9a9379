"""Marshmallow schemas of the JSON API (the edge): query parameters in, documents out."""
