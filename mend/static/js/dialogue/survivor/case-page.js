// Her case page: her key for the case (made here at the first visit, wrapped by her vault
// key), what the case holds for her opened and checked by case.js, and every step she may
// take at any moment. Steps the server renders (consent, pause, resume, end, choices)
// reload the page; what is encrypted is drawn again in place.
import { $, config, guard, run, say, t } from "../../lib/page.js";
import { installSession, requireVaultKey } from "../../lib/session.js";
import * as kase from "../case.js";
import { wireSurvey } from "../survey.js";
import { composer } from "./compose.js";
import { wireCopy } from "./copy.js";
import { renderFromHim, renderMine, renderNews, renderPlan } from "./items.js";

const caseRef = { caseId: config.case_id };
const status = () => $("[data-qa=status]");
// Locks what she typed in the message box into this tab (set once her vault key is open):
// a step that loads the page again must not lose a word of it.
let keepTyped = () => {};

function reload() {
  keepTyped();
  window.location.reload();
}

// A step the server shows on the page: take it, then load the page again.
function stepButton(qa, step) {
  $(`[data-qa=${qa}]`)?.addEventListener(
    "click",
    guard(async () => {
      await step();
      reload();
    }),
  );
}

function wireSteps() {
  $("[data-qa=consent-form]")?.addEventListener(
    "submit",
    guard(async (event) => {
      event.preventDefault();
      const agreed = $("[data-qa=consent-agree]").checked;
      $("[data-qa=consent-error]").hidden = agreed;
      if (!agreed) return $("[data-qa=consent-agree]").focus();
      await kase.consent(caseRef, config.consent_version);
      reload();
    }),
  );
  stepButton("consent-withdraw", () => kase.withdraw(caseRef));
  stepButton("pause", () => kase.pause(caseRef));
  stepButton("resume", () => kase.resume(caseRef));
  stepButton("end-confirm", () => kase.end(caseRef));
  stepButton("forget-confirm", () => kase.forget(caseRef));
  $("[data-qa=choices]")?.addEventListener(
    "submit",
    guard(async (event) => {
      event.preventDefault();
      const tellRead = $("[data-qa=tell-read]").checked;
      const tellPlanOutcome = $("[data-qa=tell-outcome]").checked;
      const format = $("[data-qa=format] input:checked").value;
      await kase.setChoices(caseRef, { tellRead, tellPlanOutcome, format });
      reload();
    }),
  );
  wireSurvey(caseRef);
}

async function main() {
  wireSteps();
  const vault = await requireVaultKey();
  if (!vault) return;
  const hooks = { refresh: async () => {} };
  const compose = composer(config.case_id, hooks);
  installSession({ keepUnsaved: (vk) => compose.keep(vk) });
  keepTyped = () => compose.keep(vault.vk);
  const waiting = $("[data-qa=letter-bank-draft]");
  if (waiting) waiting.hidden = !compose.keptUnshown();
  say(status(), t("opening"));
  let keypair;
  try {
    keypair = await kase.ensureCaseKey(config.case_id, kase.vaultUnlock(vault.vk));
  } catch (error) {
    if (!(error instanceof kase.CaseError)) throw error;
    say(status(), t("key_failed"), "error");
    return;
  }
  let ctx = null;
  hooks.refresh = async (message) => {
    // The lead's key counts only as an endorsed staff key this browser checked itself.
    const trustStaff = await kase.teamTrust(config.case_id);
    ctx = await kase.openCase(config.case_id, keypair, { trustStaff });
    $("[data-qa=fingerprint]").textContent = kase.fingerprint(ctx.me);
    renderFromHim(ctx, document);
    renderMine(ctx, document, compose.form ? (item) => compose.revise(item) : null);
    renderPlan(ctx, document, hooks.refresh);
    renderNews(ctx, document);
    const sharing = $("[data-qa=share-mine]");
    if (sharing) sharing.hidden = kase.lackingFacilitators(ctx).length === 0;
    say(status(), t(message));
  };
  wireCopy(() => ctx);
  // A facilitator who joined after she wrote (a new lead) reads it once she lets her.
  $("[data-qa=share-mine-button]")?.addEventListener(
    "click",
    guard(async () => {
      await kase.shareMyEarlierItems(ctx);
      await hooks.refresh("shared_mine");
    }),
  );
  await hooks.refresh("opened");
  compose.restore(vault.vk, ctx);
  compose.form?.addEventListener(
    "submit",
    guard(async (event) => {
      event.preventDefault();
      await compose.submit(ctx, vault.vk);
    }),
  );
  document.querySelector("main").dataset.state = "ready";
}

run(main);
