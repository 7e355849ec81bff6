"""Routes of the iCal, JSON and Atom feeds (see the iCal feeds issue)."""

app_name = "feeds"

urlpatterns = []
