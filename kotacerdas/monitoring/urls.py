from kotacerdas.monitoring.views import overview, updates

app_name = "monitoring"

M = "wilayah/<str:code>/pemantauan/"

# The update workflow (views/updates.py) and the region's overview, reporting set-up and
# indicator actuals (views/overview.py).
urlpatterns = updates.urlpatterns(M) + overview.urlpatterns(M)
