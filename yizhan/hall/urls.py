"""The hall's screens. The paths are fixed: kiosks, the LED board and other tools link to them."""

app_name = "hall"

urlpatterns: list = []
