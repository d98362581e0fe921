"""Markdown preview of body fields: what the text looks like rendered, sanitised.

The API serves the Markdown source (apps render it); the preview renders it with the
`markdown` library and sanitises the HTML with nh3, so a preview can never run a script.
"""

import markdown
import nh3

from content_app.models.constraints import normalise_newlines

# The fields written in Markdown (their help texts say so).
MARKDOWN_FIELDS = ("body",)


def render_markdown(text: str) -> str:
    html = markdown.markdown(normalise_newlines(text or ""), extensions=["sane_lists"])
    return nh3.clean(html)
