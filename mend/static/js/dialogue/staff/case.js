// The facilitator's case page: unlock her staff key, then open the case in this browser and
// do her work on it: vouch for keys, assess, invite, screen, plan, monitor, stop, advance.
// Everything goes through the shared module dialogue/case.js; the server's refusals are
// told in plain words (mend/dialogue/staff_strings.py).
import { DecryptionError } from "../../crypto/errors.js";
import { ApiError } from "../../lib/api.js";
import { $, config, guard, nextFrame, run, say, t } from "../../lib/page.js";
import * as dialogue from "../case.js";
import { ListedKeyMismatch, makeKeyFromForm, storedStaffKey, unlockStaffKey } from "./key.js";
import * as view from "./render.js";

const errorBox = $("#case-error");
const statusBox = $("#case-status");
let caseKey = null;
let ctx = null;

// A refusal she can act on, in plain words; anything else goes to the page runtime.
function explain(problem) {
  say(statusBox, "");
  if (problem instanceof DecryptionError) return say(errorBox, t("wrong_passphrase"), "error");
  if (problem instanceof ListedKeyMismatch) return say(errorBox, t("own_key_swapped"), "error");
  if (problem instanceof dialogue.CaseError || problem instanceof ApiError) {
    return say(errorBox, t(problem.code), "error");
  }
  throw problem;
}

// Run one step of her work: "working…", the step, then the page again from the server.
// `only`: in a list, the clicks on its buttons of that kind (a tick in a box is no step);
// the list is drawn again, so the keyboard's focus goes to its heading (`heading`).
function step(work, done, only = null, heading = null) {
  return guard(async (event) => {
    if (only && !event.target.closest(only)) return;
    event.preventDefault();
    say(errorBox, "");
    say(statusBox, t("working"));
    try {
      await work(event);
    } catch (problem) {
      return explain(problem);
    }
    await refresh();
    say(statusBox, typeof done === "function" ? done() : t(done));
    if (heading) $(heading).focus();
  });
}

// --- The key ---------------------------------------------------------------------------------

async function unlock(event) {
  event.preventDefault();
  say(errorBox, "");
  const key = await storedStaffKey();
  if (!key) return showMakeKey();
  say(statusBox, t("opening"));
  await nextFrame();
  try {
    const staffPair = unlockStaffKey(key, $("#unlock-passphrase").value);
    caseKey = await dialogue.ensureCaseKey(config.case_id, dialogue.staffUnlock(staffPair));
  } catch (problem) {
    return explain(problem);
  }
  $("#unlock-passphrase").value = "";
  await refresh();
  $("#unlock-section").hidden = true;
  $("#case-work").hidden = false;
  // Her new staff key took the retired one's place: what was sealed to that one does not
  // open with it until a colleague or the parties share it again (docs/dialogue.md, "Keys").
  say(statusBox, t(caseKey.replaced ? "key_replaced" : "opened"));
  $("#parties-heading").focus();
}

function showMakeKey() {
  $("#unlock").hidden = true;
  $("#make-key").hidden = false;
}

async function createKey(event) {
  event.preventDefault();
  if (!(await makeKeyFromForm(errorBox, statusBox))) return;
  $("#make-key").hidden = true;
  $("#unlock").hidden = false;
}

// --- The case, drawn again after every step ----------------------------------------------------

// The lead's key, and a former facilitator's, are trusted only as endorsed staff keys whose
// chains this browser checks (dialogue/case.js teamTrust); the lead's own page knows hers.
async function refresh() {
  const options = { trustStaff: await dialogue.teamTrust(config.case_id) };
  ctx = await dialogue.openCase(config.case_id, caseKey, options);
  const { stage, state } = ctx.case;
  $("#stage-name").textContent = config.stages[stage] ?? String(stage);
  $("#state-name").textContent = t(`state_${state}`);
  $("#parties").replaceChildren(...view.parties(ctx));
  $("#assessments").replaceChildren(...view.assessments(ctx));
  const pending = view.queue(ctx);
  $("#queue").replaceChildren(...pending);
  $("#queue-empty").hidden = pending.length > 0;
  $("#screened").replaceChildren(...view.screened(ctx));
  $("#plan").replaceChildren(...view.plan(ctx));
  $("#reminders").replaceChildren(...view.reminders(ctx));
  const open = state !== "closed";
  $("#assessment-section").hidden = !(open && stage >= 2 && stage <= 7);
  $("#plan-item").hidden = !(open && stage === 6);
  // Buttons are styled to show, so whole boxes are hidden (a [hidden] button would still show).
  $("#steps-section").hidden = !(open && state === "active");
  $("#stop-section").hidden = !open;
  $("#resume-box").hidden = !(state === "paused" && ctx.case.paused_by === "facilitator");
  const invite = $("#invite-section");
  if (invite) invite.hidden = !(open && stage === 3 && !ctx.parties.some((p) => p.role === "responsible"));
  const work = $("#case-work");
  work.dataset.refreshed = String(Number(work.dataset.refreshed) + 1); // a hook for the browser tests
}

// --- Her steps ---------------------------------------------------------------------------------

// The lead seals the items written before a co-facilitator (or the survivor specialist)
// joined to her vouched key: the one whose button was pressed.
async function share(event) {
  const id = event.target.closest("[data-share]").dataset.share;
  shared = await dialogue.shareEarlierItems(ctx, ctx.parties.find((p) => p.id === id));
}

let shared = 0;

function vouch(event) {
  const button = event.target.closest("[data-vouch]");
  const row = button.closest("li");
  if (!row.querySelector("[data-qa=compared]").checked) throw new dialogue.CaseError("not_compared");
  const party = ctx.parties.find((p) => p.id === button.dataset.vouch);
  return dialogue.vouchFor(ctx, party, button.dataset.fingerprint);
}

async function advance() {
  await dialogue.advance(ctx);
}

async function recordStop() {
  const end = document.querySelector("input[name=stop-end]:checked").value === "end";
  await dialogue.stop(ctx, $("#stop-rule").value, end);
}

function answersOf(subject) {
  const answers = {};
  for (const box of document.querySelectorAll(`[data-subject=${subject}] [data-question]`)) {
    answers[box.dataset.question] = box.value.trim();
  }
  return answers;
}

// The structured answers, sealed as one "assessment" item; decision and rule are flags.
async function assess() {
  const subject = document.querySelector("input[name=subject]:checked").value;
  const decision = document.querySelector("input[name=decision]:checked").value;
  const rule = decision === "proceed" ? "" : $("#assessment-stop-rule").value;
  const checks = [...document.querySelectorAll("[data-check]:checked")].map((box) => box.dataset.check);
  const record = { subject, decision, rule, answers: answersOf(subject), checks, note: $("#assessment-note").value.trim() };
  await dialogue.send(ctx, { kind: "assessment", text: JSON.stringify(record), subject, decision, stopRule: rule || undefined });
  $("#assessment").reset();
  showSubject();
  showRule();
}

async function invite() {
  const { code, expires_in_days: days } = await dialogue.invite(ctx);
  $("#invitation-code").textContent = code;
  $("#invitation-expiry").textContent = t("invitation_expires", { days });
  $("#invitation").hidden = false;
  $("#invite-box").hidden = true;
}

function screen(event) {
  const button = event.target.closest("[data-screen]");
  const item = ctx.items.find((i) => i.id === button.dataset.item);
  const decision = button.dataset.screen;
  if (decision === "approved") return dialogue.approve(ctx, item);
  if (decision === "rejected") return dialogue.reject(ctx, item);
  const note = document.getElementById(`note-${item.id}`).value;
  return dialogue.returnItem(ctx, item, document.getElementById(`reason-${item.id}`).value, note);
}

// A plan item's words, as the parties will read them: what, and how it is checked.
function planText() {
  const kind = $("#plan-kind").value;
  const what = $("#plan-what").value.trim();
  const verify = $("#plan-verify").value.trim();
  const module = kind === "training" ? $("#plan-module").selectedOptions[0].textContent : "";
  if (!what || !verify || !$("#plan-due").value) throw new dialogue.CaseError("plan_incomplete");
  const lines = [module ? t("plan_module", { module }) : "", what, t("plan_checked", { how: verify })];
  return lines.filter(Boolean).join("\n\n");
}

async function addPlanItem() {
  const text = planText();
  await dialogue.send(ctx, { kind: "plan-item", text, planKind: $("#plan-kind").value, dueOn: $("#plan-due").value });
  $("#plan-item").reset();
  showModules();
}

function outcome(event) {
  const button = event.target.closest("[data-outcome]");
  return dialogue.recordOutcome(ctx, button.dataset.plan, button.dataset.outcome === "completed");
}

// --- What the forms show ---------------------------------------------------------------------

function showSubject() {
  const subject = document.querySelector("input[name=subject]:checked").value;
  for (const group of document.querySelectorAll("[data-subject]")) group.hidden = group.dataset.subject !== subject;
}

function showRule() {
  $("#assessment-rule").hidden = document.querySelector("input[name=decision]:checked").value === "proceed";
}

function showModules() {
  $("#plan-modules").hidden = $("#plan-kind").value !== "training";
}

async function main() {
  $("#unlock").addEventListener("submit", guard(unlock));
  $("#make-key").addEventListener("submit", guard((e) => createKey(e).catch(explain)));
  $("#parties").addEventListener("click", step(vouch, "vouched", "[data-vouch]", "#parties-heading"));
  $("#parties").addEventListener("click", step(share, () => t("shared", { count: shared }), "[data-share]", "#parties-heading"));
  $("#advance").addEventListener("click", step(advance, () => t("advanced", { stage: config.stages[ctx.case.stage] })));
  $("#stop").addEventListener("submit", step(recordStop, "stop_recorded"));
  $("#resume").addEventListener("click", step(() => dialogue.resume(ctx), "resumed"));
  $("#refresh").addEventListener("click", step(async () => {}, "refreshed"));
  $("#assessment").addEventListener("submit", step(assess, "assessed"));
  $("#assessment").addEventListener("change", () => (showSubject(), showRule()));
  $("#invite")?.addEventListener("click", step(invite, "invited"));
  $("#queue").addEventListener("click", step(screen, "screening_recorded", "[data-screen]", "#screening-heading"));
  $("#plan-item").addEventListener("submit", step(addPlanItem, "plan_added"));
  $("#plan-kind").addEventListener("change", showModules);
  $("#plan").addEventListener("click", step(outcome, "outcome_recorded", "[data-outcome]", "#plan-heading"));
  if (!(await storedStaffKey())) showMakeKey();
}

run(main);
