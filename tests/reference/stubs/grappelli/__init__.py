# Stand-in for django-grappelli (admin skin, not packaged by Debian): the
# reference registry lists it as an app and includes its URLs; the API
# needs neither, so this app has no models, views or URLs.
