// "Keep a copy" forms (templates/mend/_copy_confirm.html): nothing is made until she ticks
// that she understands what a copy can mean; then `make()` gives {text, filename} (or a
// refusal code to say instead), the file is offered from this browser, and nothing of it
// passes through the server.
import { offerDownload } from "./download.js";
import { $, guard, say, t } from "./page.js";

export function wireCopyForm(form, make) {
  form?.addEventListener(
    "submit",
    guard(async (event) => {
      event.preventDefault();
      const understood = $("[data-qa=copy-understood]", form);
      $("[data-qa=copy-error]", form).hidden = understood.checked;
      if (!understood.checked) return understood.focus();
      const status = $("[data-qa=copy-status]", form);
      const made = await make(new Date().toISOString().slice(0, 10));
      if (typeof made === "string") return say(status, t(made));
      if (!made) return;
      offerDownload(new TextEncoder().encode(made.text), made.filename, "text/plain;charset=utf-8");
      say(status, t("copy_saved"));
    }),
  );
}
