# No URLs: the admin skin is not needed to serve the API.
urlpatterns = []
