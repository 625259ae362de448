// A form that a page script answers (data-script-form: a passphrase, a record, a letter) is
// never sent by the browser itself. Until the script has run (libsodium still loading on a
// slow phone, or failed to load), pressing Enter or its button would send every field to
// the server, and into the browser's history. Loaded on every page, before any page script
// and with no imports, so that it is in place first; the page's own submit handlers still
// run (this listener only stops the browser's default). With JavaScript off the forms post
// (method="post") to a page that reads nothing of them, so no field lands in a URL.
document.addEventListener(
  "submit",
  (event) => {
    if (event.target instanceof HTMLFormElement && event.target.hasAttribute("data-script-form")) {
      event.preventDefault();
    }
  },
  true,
);
