# Stand-in for crispy-bootstrap3 (not packaged by Debian): Debian's
# django-crispy-forms 1.14 still ships the bootstrap3 templates itself, so
# the app only has to exist.
