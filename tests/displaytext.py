"""
Text as a display shows it, for the evaluation tools (tests/feedcases,
tests/realworld): tags out (block tags as a space), HTML entities decoded,
white space collapsed. Both sides of a comparison go through it.
"""
import html
import re

_BLOCK_TAGS = ("address|article|aside|blockquote|br|dd|div|dl|dt|figcaption|figure|"
               "footer|h[1-6]|header|hr|li|ol|p|pre|section|table|tbody|td|tfoot|th|"
               "thead|tr|ul")
_BLOCK_TAG_RE = re.compile(r"</?(?:%s)\b[^>]*>" % _BLOCK_TAGS, re.I)
# A tag: "<" then a letter, "/", "!" or "?"; so "a < b" is left alone.
_TAG_RE = re.compile(r"<[A-Za-z/!?][^>]*>")


def collapse(s):
    """Collapse runs of white space to one space; strip the ends."""
    return " ".join(s.split())


def normalise(s):
    """Text as a display would show it: tags out, entities decoded, spaces collapsed."""
    s = _BLOCK_TAG_RE.sub(" ", s)
    s = _TAG_RE.sub("", s)
    return collapse(html.unescape(s))
