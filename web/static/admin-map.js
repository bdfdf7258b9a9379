/* Back office, position of a partner: a draggable marker on the folium map of the page.
   Dragging it, or clicking the map, writes the coordinates into the form's fields; typing
   coordinates moves it. The form works without this script. */
(function () {
  "use strict";
  var dataNode = document.getElementById("map-data");
  if (!dataNode || typeof L === "undefined") { return; }
  var data = JSON.parse(dataNode.textContent);
  var map = window[data.map];
  var lon = document.getElementById("lon");
  var lat = document.getElementById("lat");
  if (!map || !data.edit || !lon || !lat) { return; }
  var marker = L.marker([data.edit.lat, data.edit.lon], { draggable: true, keyboard: true, title: data.edit.name, alt: data.edit.name }).addTo(map);

  function write(latlng) {
    lon.value = latlng.lng.toFixed(6);
    lat.value = latlng.lat.toFixed(6);
  }
  marker.on("dragend", function () { write(marker.getLatLng()); });
  map.on("click", function (event) { marker.setLatLng(event.latlng); write(event.latlng); });
  function read() {
    var x = parseFloat(lon.value.replace(",", "."));
    var y = parseFloat(lat.value.replace(",", "."));
    if (isFinite(x) && isFinite(y) && Math.abs(x) <= 180 && Math.abs(y) <= 90) {
      marker.setLatLng([y, x]);
      map.panTo([y, x]);
    }
  }
  lon.addEventListener("change", read);
  lat.addEventListener("change", read);
})();
