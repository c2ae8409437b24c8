from kotacerdas.monitoring.views import files, overview, updates

app_name = "monitoring"

M = "wilayah/<str:code>/pemantauan/"

# The update workflow (views/updates.py), the region's overview, reporting set-up and indicator
# actuals (views/overview.py), and the file of updates and actuals (views/files.py).
urlpatterns = updates.urlpatterns(M) + overview.urlpatterns(M) + files.urlpatterns(M)
