"""The hall's screens. The paths are fixed: kiosks, the LED board and other tools link to them."""

from yizhan.hall.screens.urls import urlpatterns as service_screens

app_name = "hall"

urlpatterns: list = [*service_screens]
