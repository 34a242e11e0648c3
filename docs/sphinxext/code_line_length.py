"""Warn about code lines too long for the page's text column.

Every literal block, doctest block, gallery cell and captured gallery output
is checked: a line longer than the column holds makes its block scroll
sideways, which hides the end of the line. With ``sphinx-build -W`` the
warning fails the build.

The limits were measured in Chromium at a window width of 1366 px, with the
pydata-sphinx-theme of this documentation and both sidebars shown. There, a
code block's text area is 655 px wide and a monospace character is 8.43 px
(0.602 em of the 14 px code font), so a line holds 77 characters. Each
level of nesting, such as the body of a class or a method in the API
reference, indents it by 32 px: 73 characters in a class's docstring, 70 in
a method's. The arithmetic is done here, so changing one measurement is
enough.
"""

import math
import re

from docutils import nodes
from sphinx import addnodes
from sphinx.util import logging

logger = logging.getLogger(__name__)

# Measured in Chromium at 1366 px; see the module docstring.
COLUMN_PX = 655
INDENT_PX = 32
CHAR_PX = 8.43

# Containers that indent what they hold by about one INDENT_PX: the body of
# an API entry (class, method, function), and the indented blocks of prose.
_INDENTING = (
    addnodes.desc_content,
    nodes.block_quote,
    nodes.definition,
    nodes.field_body,
    nodes.list_item,
    nodes.Admonition,
)


# Sphinx removes doctest flags from the page (`trim_doctest_flags`): the
# same expression as sphinx.ext.doctest's.
_DOCTEST_FLAG = re.compile(r"[ \t]*#\s*doctest:.+$", re.MULTILINE)


def max_line_length(depth):
    """Return how many characters a code line holds at a nesting depth."""
    return math.floor((COLUMN_PX - depth * INDENT_PX) / CHAR_PX)


def _depth(node):
    depth = 0
    parent = node.parent
    while parent is not None:
        # An API entry is an Admonition to docutils, but only its body
        # (desc_content) is indented.
        if isinstance(parent, _INDENTING) and not isinstance(parent, addnodes.desc):
            depth += 1
        parent = parent.parent
    return depth


def _rendered_text(block, trim_doctest_flags):
    text = block.astext()
    if trim_doctest_flags and text.lstrip().startswith(">>>"):
        text = _DOCTEST_FLAG.sub("", text)
    return text.expandtabs(8)


def check_code_lines(app, doctree):
    """Warn once per code block about its lines that the column cuts off."""
    for block in doctree.findall(
        lambda node: isinstance(node, (nodes.literal_block, nodes.doctest_block))
    ):
        limit = max_line_length(_depth(block))
        text = _rendered_text(block, app.config.trim_doctest_flags)
        long_lines = [
            (number, line)
            for number, line in enumerate(text.splitlines(), 1)
            if len(line.rstrip()) > limit
        ]
        if not long_lines:
            continue
        number, line = max(long_lines, key=lambda item: len(item[1].rstrip()))
        logger.warning(
            "code line of %d characters, longer than the %d that fit here "
            "(%d such line(s); longest is line %d of the block: %r)",
            len(line.rstrip()),
            limit,
            len(long_lines),
            number,
            line.strip()[:60],
            location=block,
            type="code_line_length",
        )


def setup(app):
    app.connect("doctree-read", check_code_lines)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
