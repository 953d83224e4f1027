"""Stand-in for the fake-useragent package, which Debian does not ship.

The fair CLI imports it at start-up but only uses it to dress up its
internet requests as a browser's: downloads from remote roots, GitHub
look-ups, and the retries of its identifier check. The client scenarios
make none of these (their external object lives under a file:// root and
the one identifier check succeeds at once), and the value would only be a
header anyway. tests/clients/run_clients.sh puts this directory on
PYTHONPATH only when the real package is missing."""


class UserAgent:
    """Answers every attribute with one fixed, honest User-Agent string."""

    def __init__(self, *args, **kwargs):
        pass

    def __getattr__(self, name):
        return "fair-registry-client-tests"
