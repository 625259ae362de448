// The responsible person's case page: his case key unwrapped by his vault key, every item
// he may read opened and checked in this browser (dialogue/case.js), and what he writes
// sealed and signed here before it is sent. The server sees ciphertext only.
import { day } from "../../lib/format.js";
import { $, config, guard, run, say, t, when } from "../../lib/page.js";
import { forgetDraft, keepDraft, openDraft } from "../../lib/draft.js";
import { newKey } from "../../lib/keys.js";
import { installSession, requireVaultKey } from "../../lib/session.js";
import {
  end,
  ensureCaseKey,
  fingerprint,
  lackingFacilitators,
  markRead,
  noteOn,
  openCase,
  revise,
  send,
  shareMyEarlierItems,
  survivorName,
  teamTrust,
  vaultUnlock,
} from "../case.js";
import { wireSurvey } from "../survey.js";
import { acknowledgmentForm, composeDraft, incoming, mine, planView } from "./view.js";

const state = $("[data-qa=case-state]");
const main$ = $("[data-qa=case]");
const DRAFT_SLOT = `dialogue:${config.case_id}`;
let vaultKey = null; // his vault key VK, held while this page is open

function element(tag, text = "", attributes = {}) {
  const node = document.createElement(tag);
  if (text) node.textContent = text;
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

function screeningText(item) {
  if (item.screening !== "approved") return t(`screening_${item.screening}`);
  if (item.kind === "letter") return t("screening_approved_letter");
  return t(item.kind === "acknowledgment" ? "screening_approved_ack" : "screening_approved");
}

// One of his own items: when, its words (his own, opened here), its screening and, if it
// was returned, why.
function ownEntry(item, note = "") {
  const entry = element("li", "", { "data-qa": `item-${item.kind}`, "data-screening": item.screening });
  const head = `${t(`kind_${item.kind}`)} · ${t("written_on", { date: when(item.createdAt) })}`;
  entry.append(element("p", item.revision > 1 ? `${head} · ${t("revision_of", { revision: item.revision })}` : head));
  if (item.text !== undefined) entry.append(element("blockquote", item.text));
  entry.append(element("p", screeningText(item), { "data-qa": "screening" }));
  if (item.screening === "returned" && item.returnReason) {
    entry.append(element("p", t(`reason_${item.returnReason}`), { "data-qa": "return-reason" }));
    if (note) entry.append(element("p", t("return_note", { text: note }), { "data-qa": "return-note" }));
  }
  return entry;
}

function showList(list, entries) {
  if (!list) return;
  list.replaceChildren(...(entries.length ? entries : [element("li", t("nothing_yet"))]));
}

// --- Writing ---------------------------------------------------------------------------------

// What he typed and has not sent, from whichever compose box holds words.
function typed() {
  const ack = $("[data-qa=ack-form]");
  if (ack && !ack.hidden) {
    const draft = composeDraft("ack", { text: ack.elements.text.value });
    if (draft) return draft;
  }
  const write = $("[data-qa=write-form]");
  if (!write) return null;
  return composeDraft("write", {
    text: write.elements.text.value,
    warning: write.elements.warning.value,
    kind: write.elements.kind.value,
    replaces: write.dataset.replaces ?? "",
  });
}

// Locked into this tab (lib/draft.js, by his vault key) before each send and at an idle
// sign-out, so that a send refused because his session ended loses nothing; it comes back
// after he logs in. A draft is a one-off record of its own: a fresh key and id each time.
function keepTyped(vk) {
  const fields = typed();
  if (!fields || !vk) return;
  keepDraft(vk, { id: crypto.randomUUID(), key: newKey(), version: 0 }, fields, DRAFT_SLOT);
}

function restoreTyped(vk) {
  const kept = openDraft(vk, null, DRAFT_SLOT)?.fields;
  if (!kept) return;
  const form = $(kept.form === "ack" ? "[data-qa=ack-form]" : "[data-qa=write-form]");
  if (!form || form.hidden) return;
  form.elements.text.value = kept.text ?? "";
  if (kept.form === "write") {
    form.elements.warning.value = kept.warning ?? "";
    if (chooseKind(form, kept.kind ?? "message") && kept.replaces) form.dataset.replaces = kept.replaces;
  }
  say($("[data-qa=draft-restored]"), t("draft_restored"));
}

// Whether the text may be sent; if not, says why in the form and takes her (his) focus there.
function checkText(form, text) {
  let problem = null;
  if (!text.trim()) problem = t("text_missing");
  else if (text.length > config.max_text) problem = t("text_long", { max: config.max_text });
  if (!problem) return true;
  say($("[data-qa=error]", form), problem, "error");
  form.elements.text.focus();
  return false;
}

// Send (or revise) from `form`; failures are told in the form, in plain words.
async function submit(form, write) {
  const { error, status, button } = {
    error: $("[data-qa=error]", form),
    status: $("[data-qa=status]", form),
    button: $("button[type=submit]", form),
  };
  if (!checkText(form, form.elements.text.value)) return false;
  say(error, "");
  say(status, t("sending"));
  button.disabled = true;
  keepTyped(vaultKey);
  try {
    await write();
  } catch (failure) {
    say(status, "");
    say(error, t(failure.code ?? "error_generic"), "error");
    return false;
  } finally {
    button.disabled = false;
  }
  forgetDraft(DRAFT_SLOT);
  form.reset();
  say(status, t("sent"), "success");
  return true;
}

function setUpAcknowledgment(ctx, reload) {
  const form = $("[data-qa=ack-form]");
  if (!form) return;
  const plan = acknowledgmentForm(ctx.items, ctx.me.id);
  form.hidden = plan.mode === "none";
  const returned = $("[data-qa=ack-returned]", form);
  say(returned, plan.mode === "revise" ? t(`reason_${plan.reason}`) : "");
  if (plan.mode === "revise" && !form.elements.text.value) form.elements.text.value = plan.text;
  form.onsubmit = guard(async (event) => {
    event.preventDefault();
    const text = form.elements.text.value;
    const write =
      plan.mode === "revise"
        ? () => revise(ctx, { id: plan.replaces, kind: "acknowledgment", revision: plan.revision - 1 }, { text })
        : () => send(ctx, { kind: "acknowledgment", text });
    if (await submit(form, write)) await reload();
  });
}

function setUpWriting(ctx, reload) {
  const form = $("[data-qa=write-form]");
  if (!form) return;
  form.onsubmit = guard(async (event) => {
    event.preventDefault();
    const fields = {
      kind: form.elements.kind.value,
      text: form.elements.text.value,
      warning: form.elements.warning.value.trim(),
    };
    const replacing = form.dataset.replaces ? JSON.parse(form.dataset.replaces) : null;
    const write = replacing ? () => revise(ctx, replacing, fields) : () => send(ctx, fields);
    if (await submit(form, write)) {
      delete form.dataset.replaces;
      await reload();
    }
  });
}

// Her choice of the letter bank disables the message option: words he had begun as a
// message go on as a new letter (not a revision of the message), so nothing he typed is
// refused. Returns whether `kind` could be chosen.
function chooseKind(form, kind) {
  const allowed = !form.querySelector(`input[name=kind][value="${kind}"]`)?.disabled;
  form.elements.kind.value = allowed ? kind : "letter";
  return allowed;
}

// "Write a new version" of a returned message or letter: the form names what it replaces.
function reviseButton(item) {
  const button = element("button", t("write_new_version"), { type: "button", class: "secondary", "data-qa": "revise" });
  button.addEventListener("click", () => {
    const form = $("[data-qa=write-form]");
    if (!form) return;
    form.dataset.replaces = JSON.stringify({ id: item.id, kind: item.kind, revision: item.revision });
    if (!chooseKind(form, item.kind)) delete form.dataset.replaces;
    form.elements.text.value = item.text ?? "";
    form.elements.warning.value = item.warning ?? "";
    say($("[data-qa=write-returned]", form), t(`reason_${item.returnReason}`));
    form.elements.text.focus();
  });
  return button;
}

// Ending his part: only after he ticks that he understands it is for good.
function setUpEnding(ctx) {
  const form = $("[data-qa=end-form]");
  if (!form) return;
  form.onsubmit = guard(async (event) => {
    event.preventDefault();
    const error = $("[data-qa=error]", form);
    if (!form.elements.confirm.checked) {
      say(error, t("end_confirm"), "error");
      form.elements.confirm.focus();
      return;
    }
    say(error, "");
    try {
      await end(ctx);
    } catch (failure) {
      say(error, t(failure.code ?? "error_generic"), "error");
      return;
    }
    window.location.reload();
  });
}

// --- Reading -----------------------------------------------------------------------------------

// Her message: the content note first (if any), the words only when he chooses to show them.
function incomingEntry(ctx, item) {
  const entry = element("li", "", { "data-qa": "incoming-item" });
  entry.append(element("p", t("written_on", { date: when(item.createdAt) })));
  if (item.refused) {
    entry.append(element("p", t("refused_item"), { class: "message message--error", "data-qa": "refused" }));
    return entry;
  }
  if (item.warning) entry.append(element("p", `${t("warning_label")} ${item.warning}`, { "data-qa": "content-warning" }));
  const text = element("blockquote", item.text, { "data-qa": "incoming-text", hidden: "" });
  const show = element("button", t("show"), { type: "button", "data-qa": "show" });
  show.addEventListener(
    "click",
    guard(async () => {
      text.hidden = false;
      show.remove();
      text.setAttribute("tabindex", "-1");
      text.focus();
      if (item.read === false) await markRead(ctx, item);
    }),
  );
  entry.append(show, text);
  return entry;
}

function planEntry(entry) {
  const item = element("li", "", { "data-qa": "plan-item" });
  item.append(element("p", `${t(`plan_${entry.kind}`)} · ${t("plan_due", { date: day(entry.dueOn, config.language) })}`));
  if (entry.text !== undefined) item.append(element("p", entry.text));
  const status = entry.outcome === "completed" || entry.outcome === "missed" ? `plan_${entry.outcome}` : entry.answer === "accepted" ? "plan_agreed" : "plan_waiting";
  item.append(element("p", t(status), { "data-qa": "plan-status" }));
  return item;
}

function showPlan(ctx) {
  const list = $("[data-qa=plan-list]");
  if (!list) return;
  const view = planView(ctx.plan, ctx.case.reminders);
  list.replaceChildren(...(view.items.length ? view.items.map(planEntry) : [element("li", t("plan_none"))]));
  const reminder = ({ kind, dueOn, entry }) => {
    const code = kind === "overdue" ? "plan_overdue" : "plan_due_soon";
    const words = t(code, { what: t(`plan_${entry.kind}`), date: day(dueOn, config.language) });
    return element("p", words, { class: "message", "data-qa": code });
  };
  $("[data-qa=due-soon]").replaceChildren(...view.reminders.map(reminder));
}

// --- The page ----------------------------------------------------------------------------------

function render(ctx, reload) {
  const name = survivorName(ctx);
  if (name) $("[data-qa=case-title]").textContent = t("dialogue_with", { name });
  const entryOf = (item) => ownEntry(item, noteOn(ctx, item));
  showList($("[data-qa=ack-list]"), mine(ctx.items, ctx.me.id, ["acknowledgment"]).map(entryOf));
  const writing = Boolean($("[data-qa=write-form]"));
  showList(
    $("[data-qa=my-items]"),
    mine(ctx.items, ctx.me.id, ["message", "letter"]).map((item) => {
      const entry = entryOf(item);
      if (writing && item.screening === "returned" && !item.revised) entry.append(reviseButton(item));
      return entry;
    }),
  );
  const from = incoming(ctx.items, ctx.me.id);
  const list = $("[data-qa=incoming]");
  if (list) list.replaceChildren(...(from.length ? from.map((i) => incomingEntry(ctx, i)) : [element("li", t("no_messages"))]));
  showPlan(ctx);
  setUpAcknowledgment(ctx, reload);
  setUpWriting(ctx, reload);
  setUpEnding(ctx);
  setUpSharing(ctx, reload);
}

// A facilitator who joined after he wrote (a new lead) reads it once he lets her.
function setUpSharing(ctx, reload) {
  const box = $("[data-qa=share-mine]");
  if (!box) return;
  box.hidden = lackingFacilitators(ctx).length === 0;
  $("[data-qa=share-mine-button]").onclick = guard(async () => {
    await shareMyEarlierItems(ctx);
    await reload();
    say(state, t("shared_mine"));
  });
}

async function main() {
  wireSurvey({ caseId: config.case_id });
  const vault = await requireVaultKey();
  if (!vault) return;
  vaultKey = vault.vk;
  installSession({ keepUnsaved: keepTyped });
  let keypair;
  try {
    keypair = await ensureCaseKey(config.case_id, vaultUnlock(vault.vk));
  } catch (failure) {
    state.dataset.state = "failed";
    say(state, t(failure.code === "key_mismatch" ? "key_mismatch" : "open_failed"), "error");
    return;
  }
  // The lead's key is trusted only as an endorsed staff key this browser checked itself.
  const trustStaff = await teamTrust(config.case_id);
  const reload = async () => {
    const ctx = await openCase(config.case_id, keypair, { trustStaff });
    // Read aloud to the lead, who compares it before vouching for his key.
    document.querySelector("[data-qa=fingerprint]").textContent = fingerprint(ctx.me);
    render(ctx, reload);
    main$.hidden = false;
    state.dataset.state = "ready";
    say(state, t("ready"));
  };
  await reload();
  restoreTyped(vault.vk);
}

run(main);
