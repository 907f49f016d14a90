"""The API's JSON parser: DRF's, answering deeply nested JSON as a parse error.

The json module raises RecursionError on a document nested a few thousand levels deep (e.g.
200,000 "[" in a row); DRF catches only ValueError, so such a body answered 500."""

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser as DrfJSONParser


class JSONParser(DrfJSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(_("JSON lồng nhau quá sâu.")) from None
