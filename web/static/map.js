/* Aiguillage maps: markers, clusters, popups and layers on the folium map of the page.
   Reads its data from <script type="application/json" id="map-data">; text is always
   inserted with textContent (never as HTML). The page works without this script. */
(function () {
  "use strict";
  var dataNode = document.getElementById("map-data");
  if (!dataNode || typeof L === "undefined") { return; }
  var data = JSON.parse(dataNode.textContent);
  var map = window[data.map];
  if (!map) { return; }
  var kinds = {};
  (data.legend || []).forEach(function (k) { kinds[k.kind] = k; });

  function icon(kind) {
    var k = kinds[kind] || { letter: "?", colour: "#555555", label: kind };
    var el = document.createElement("span");
    el.className = "map-marker kind-" + (kinds[kind] ? kind : "other");
    el.textContent = k.letter;
    return L.divIcon({ html: el, className: "", iconSize: [30, 30], iconAnchor: [15, 15], popupAnchor: [0, -12] });
  }

  function popup(p) {
    var box = document.createElement("div");
    var title = document.createElement("strong");
    title.textContent = p.name;
    box.appendChild(title);
    var kind = document.createElement("div");
    kind.textContent = p.kind_label || "";
    box.appendChild(kind);
    if (p.status) {
      var status = document.createElement("div");
      status.textContent = p.status;
      box.appendChild(status);
    }
    if (p.warning) {
      var warning = document.createElement("div");
      warning.textContent = p.warning;
      box.appendChild(warning);
    }
    if (p.id !== undefined && p.id !== null) {
      var link = document.createElement("a");
      link.href = (data.partner_url || "/partenaires/") + encodeURIComponent(p.id);
      link.textContent = "Voir la fiche";
      box.appendChild(link);
    }
    return box;
  }

  function marker(p) {
    var m = L.marker([p.lat, p.lon], { icon: icon(p.kind), title: p.name + " (" + (p.kind_label || "") + ")", alt: p.name, keyboard: true });
    m.bindPopup(function () { return popup(p); });
    return m;
  }

  var points = data.points || [];
  var group = (data.cluster && L.markerClusterGroup) ? L.markerClusterGroup({ chunkedLoading: true, showCoverageOnHover: false }) : L.featureGroup();
  points.forEach(function (p) { group.addLayer(marker(p)); });
  group.addTo(map);
  if (points.length && !data.keep_view) {
    map.fitBounds(group.getBounds(), { padding: [30, 30], maxZoom: 15 });
  }
  if (data.home) {
    L.circleMarker([data.home.lat, data.home.lon], { radius: 8, color: "#000", weight: 3, fillColor: "#fff", fillOpacity: 1 })
      .bindTooltip(data.home.label).addTo(map);
  }

  /* The whole directory: GeoJSON of the visible area, fetched again when the view moves. */
  var status = document.getElementById("map-status");
  function say(text) { if (status) { status.textContent = text; } }
  var loaded = {};
  function loadVisible() {
    var b = map.getBounds();
    var west = Math.max(b.getWest(), -180), east = Math.min(b.getEast(), 180);
    var south = Math.max(b.getSouth(), -90), north = Math.min(b.getNorth(), 90);
    if (!(west < east && south < north)) { return; }
    var bbox = [west, south, east, north].map(function (x) { return x.toFixed(4); });
    var url = data.geojson_url + (data.geojson_url.indexOf("?") < 0 ? "?" : "&") + "bbox=" + bbox.join(",");
    function page(next) {
      return fetch(next, { headers: { Accept: "application/geo+json" } }).then(function (r) {
        if (!r.ok) { throw new Error(r.status); }
        return r.json();
      }).then(function (collection) {
        var added = [];
        (collection.features || []).forEach(function (f) {
          if (loaded[f.id]) { return; }
          loaded[f.id] = true;
          var props = f.properties;
          added.push(marker({ id: f.id, name: props.name, kind: props.kind, kind_label: props.kind_label,
            status: props.opening_status, warning: props.staleness_warning,
            lon: f.geometry.coordinates[0], lat: f.geometry.coordinates[1] }));
        });
        group.addLayers ? group.addLayers(added) : added.forEach(function (m) { group.addLayer(m); });
        var next_link = (collection.links || []).filter(function (l) { return l.rel === "next"; })[0];
        say(Object.keys(loaded).length + " lieux chargés…");
        if (next_link) { return page(next_link.href); }
        return null;
      });
    }
    say("Chargement des lieux…");
    page(url).then(function () { say(Object.keys(loaded).length + " lieux affichés sur la carte."); })
      .catch(function () { say("Les lieux n'ont pas pu être chargés sur la carte : utilisez la liste."); });
  }
  if (data.geojson_url) {
    map.on("moveend", loadVisible);
    loadVisible();
  }

  /* Outlines of the territory and the bus layer, when the page provides them. */
  function addGeoJson(url, style, onFeature) {
    fetch(url).then(function (r) { return r.ok ? r.json() : null; }).then(function (g) {
      if (g) { L.geoJSON(g, { style: style, onEachFeature: onFeature, interactive: !!onFeature }).addTo(map); }
    }).catch(function () { /* the list stays usable */ });
  }
  if (data.contours_url) {
    addGeoJson(data.contours_url, function () { return { color: "#333", weight: 2, fill: false, dashArray: "6 4" }; });
  }
  /* Choropleth of a coverage analysis: each commune coloured by its class of travel time;
     the page's table says the same in words. */
  if (data.choropleth_url) {
    fetch(data.choropleth_url).then(function (r) { return r.ok ? r.json() : null; }).then(function (g) {
      if (!g) { return; }
      var layer = L.geoJSON(g, {
        style: function (f) { return { color: "#333", weight: 0.6, fillColor: f.properties.colour, fillOpacity: 0.65 }; },
        onEachFeature: function (f, l) {
          var p = f.properties;
          var text = p.name + " : " + (p.minutes === null ? "aucun lieu" : p.minutes + " min") + " (" + p.label + ")";
          l.bindTooltip(text);
        }
      }).addTo(map);
      layer.bringToBack();
      if (!data.keep_view && layer.getBounds().isValid()) { map.fitBounds(layer.getBounds()); }
    }).catch(function () { /* the table stays usable */ });
  }
  (data.bus_routes || []).forEach(function (route) {
    if (route.line && route.line.length > 1) {
      L.polyline(route.line.map(function (c) { return [c[1], c[0]]; }), { color: "#b3261e", weight: 4, dashArray: "2 8" })
        .bindTooltip("Trajet du bus : " + route.name).addTo(map);
    }
    (route.stops || []).forEach(function (s) {
      marker({ id: null, name: s.name, kind: "bus", kind_label: "Arrêt du bus des droits", status: s.next || "", lon: s.lon, lat: s.lat }).addTo(map);
    });
  });
})();
