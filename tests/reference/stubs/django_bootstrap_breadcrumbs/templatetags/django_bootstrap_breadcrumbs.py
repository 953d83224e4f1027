# Template tags that accept any arguments and render nothing, so pages
# that use breadcrumbs still render (without them).
from django import template

register = template.Library()


class _Empty(template.Node):
    def render(self, context):
        return ""


for _name in ("breadcrumb", "breadcrumb_for", "breadcrumb_raw", "breadcrumb_safe",
              "clear_breadcrumbs", "render_breadcrumbs"):
    register.tag(_name, lambda parser, token: _Empty())
