// "Use my location" on the Find help form (progressive enhancement).
//
// Nothing happens until the person presses the button: only then does the browser ask
// for permission. The position is rounded to two decimals (about 1 km) before it goes
// into the form's hidden fields, so the exact spot never reaches our server or the
// browser history. Without JavaScript the button stays hidden and the form still works.

const DECIMALS = 2;

function setUp(form) {
  const wrap = form.querySelector("[data-locate-wrap]");
  const button = form.querySelector("[data-locate]");
  const status = form.querySelector("[data-locate-status]");
  const place = form.querySelector("[data-place]");
  if (!wrap || !button || !status || !("geolocation" in navigator)) return;
  wrap.hidden = false;

  const fields = { lat: form.elements.namedItem("lat"), lng: form.elements.namedItem("lng") };
  button.addEventListener("click", () => {
    status.textContent = button.dataset.finding;
    navigator.geolocation.getCurrentPosition(
      (position) => {
        fields.lat.value = position.coords.latitude.toFixed(DECIMALS);
        fields.lng.value = position.coords.longitude.toFixed(DECIMALS);
        if (place) place.value = "";
        status.textContent = button.dataset.found;
      },
      () => {
        status.textContent = button.dataset.failed;
      },
      { enableHighAccuracy: false, timeout: 15000, maximumAge: 600000 },
    );
  });
  // Typing a place means "search there", not at the remembered position.
  place?.addEventListener("input", () => {
    fields.lat.value = "";
    fields.lng.value = "";
    status.textContent = "";
  });
}

for (const form of document.querySelectorAll("form[role=search]")) setUp(form);
