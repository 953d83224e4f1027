# Stand-in for django-bootstrap-breadcrumbs (not packaged by Debian): the
# reference's HTML templates load its tags; here they render nothing.
