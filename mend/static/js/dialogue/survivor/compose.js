// Her message box: a new message, or a new version of a returned one. Nothing typed is lost
// when her session ends: as the vault's record form and the leave letter do (lib/draft.js),
// the words are locked into this tab before each send and at the idle sign-out, and come
// back after she logs in again, not sent until she says so. Nothing of a draft is sent.
import { $, say, t } from "../../lib/page.js";
import { forgetDraft, hasDraft } from "../../lib/draft-store.js";
import { keepDraft, openDraft } from "../../lib/draft.js";
import { newRecord } from "../../lib/records.js";
import { CaseError, send } from "../case.js";

// hooks.refresh(message) draws the case again after a send (set once the case is open).
export function composer(caseId, hooks) {
  const form = $("[data-qa=compose]");
  const slot = `dialogue-message:${caseId}`;
  const field = (name) => form?.elements.namedItem(name);
  let draftRecord = null; // the lock of this tab's draft: kept with it, so a retry reuses it
  let revising = null; // the returned item she is rewriting, or null

  const fields = () => ({
    text: field("text").value,
    warning: field("warning").value,
    name: field("name").value,
    replaces: revising?.id ?? "",
  });

  function keep(vk) {
    if (!form || !(field("text").value.trim() || field("warning").value.trim())) return;
    draftRecord ??= newRecord(vk);
    keepDraft(vk, draftRecord, fields(), slot);
  }

  function setRevising(item) {
    revising = item;
    const note = $("[data-qa=compose-revising]");
    note.hidden = !item;
    note.textContent = item ? t("revision", { n: item.revision + 1 }) : "";
    $("[data-qa=compose-cancel]").hidden = !item;
  }

  function revise(item) {
    setRevising(item);
    field("text").value = item.text;
    field("warning").value = item.warning;
    field("text").focus();
  }

  function restore(vk, ctx) {
    if (!form) return;
    field("name").value ||= ctx.items.filter((i) => i.author === ctx.me.id && i.name).at(-1)?.name ?? "";
    if (!hasDraft(slot)) return;
    const draft = openDraft(vk, null, slot);
    if (!draft) return;
    draftRecord = draft.record;
    for (const name of ["text", "warning", "name"]) field(name).value = draft.fields[name] ?? "";
    setRevising(ctx.items.find((i) => i.id === draft.fields.replaces) ?? null);
    say($("[data-qa=status]"), t("draft_back"));
  }

  async function submit(ctx, vk) {
    const error = $("[data-qa=compose-error]");
    say(error, "");
    const typed = fields();
    if (!typed.text.trim()) {
      say(error, t("empty_message"), "error");
      field("text").focus();
      return;
    }
    keep(vk); // locked into this tab first: a send refused by an ended session loses nothing
    say($("[data-qa=status]"), t("sending"));
    const message = { kind: "message", text: typed.text, warning: typed.warning.trim(), name: typed.name.trim() };
    try {
      if (revising) await send(ctx, { ...message, replaces: revising.id, revision: revising.revision + 1 });
      else await send(ctx, message);
    } catch (failure) {
      if (!(failure instanceof CaseError)) throw failure;
      say(error, t(failure.code), "error");
      return;
    }
    forgetDraft(slot);
    draftRecord = null;
    field("text").value = "";
    field("warning").value = "";
    setRevising(null);
    await hooks.refresh("sent");
  }

  $("[data-qa=compose-cancel]")?.addEventListener("click", () => setRevising(null));
  // Words kept in this tab that the page does not show (she chose the letter bank): they
  // wait, and come back in the box when she chooses messages again.
  const keptUnshown = () => !form && hasDraft(slot);
  return { form, keep, keptUnshown, restore, revise, submit };
}
