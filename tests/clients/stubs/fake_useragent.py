"""Stand-in for the fake-useragent package, which Debian does not ship.

The fair CLI imports it at start-up but only uses it to pick a browser
User-Agent when it downloads from the internet (external objects on remote
roots, GitHub look-ups), which the client scenarios never do: their external
object lives under a file:// root. tests/clients/run_clients.sh puts this
directory on PYTHONPATH only when the real package is missing."""


class UserAgent:
    """Answers every attribute with one fixed, honest User-Agent string."""

    def __init__(self, *args, **kwargs):
        pass

    def __getattr__(self, name):
        return "fair-registry-client-tests"
