// Her copy of "Find others, safely" (mend/static/js/escrow/copy.js): what the text file
// holds, in which order, made from what her page opened. Pure: no page, no server.
import assert from "node:assert/strict";
import { test } from "node:test";

import { copyText } from "../../mend/static/js/escrow/copy.js";

const words = (code, values = {}) => `[${code}${Object.values(values).map((v) => ` ${v}`).join("")}]`;
const options = { words, at: (iso) => iso.slice(0, 10), today: "2026-12-05" };

const entry = (createdAt, matched, content) => ({ createdAt, matched, content });

test("her copy holds each entry, oldest first, with whom she named, how to reach her and what she wrote", () => {
  const entries = [
    entry("2026-11-09T10:00:00Z", true, {
      label: "Work",
      identifiers: ["email:jordan@example.com", "social:instagram:jordan_w"],
      contact: { method: "phone", detail: "555-0100 after 6pm" },
      what: "At the party in March.",
    }),
    entry("2026-11-01T10:00:00Z", false, {
      identifiers: ["phone:+15550101"],
      contact: { method: "in_app", detail: "" },
      what: "",
    }),
  ];
  const text = copyText({ entries, threads: [] }, options);
  assert.equal(
    text,
    [
      "[copy_title 2026-12-05]", "[copy_note]", "",
      "[copy_entry 2026-11-01] · [copy_waiting]",
      "[names [kind_phone]: +15550101]",
      "[copy_contact_in_app]", "",
      "[copy_entry 2026-11-09] · [copy_matched]",
      "[copy_label Work]",
      "[names [kind_email]: jordan@example.com, Instagram: @jordan_w]",
      "[copy_contact_phone]: 555-0100 after 6pm",
      "", "At the party in March.", "",
    ].join("\n"),
  );
});

test("her copy adds each match's messages, oldest first, and says how many entries it could not open", () => {
  const threads = [
    {
      joinedAt: "2026-11-10T09:00:00Z",
      groupState: "open",
      decision: "undecided",
      decidedAt: null,
      messages: [
        { createdAt: "2026-11-11T09:00:00Z", fromCounselor: false, text: "Yes, by phone." },
        { createdAt: "2026-11-10T09:30:00Z", fromCounselor: true, text: "May I call you?" },
      ],
    },
  ];
  const text = copyText({ entries: [], unopened: 2, threads }, options);
  assert.equal(
    text,
    [
      "[copy_title 2026-12-05]", "[copy_note]", "",
      "[copy_unopened 2]", "",
      "[copy_thread 2026-11-10]", "[state_open]", "[decision_undecided]", "",
      "2026-11-10 · [copy_counselor]", "May I call you?", "",
      "2026-11-11 · [copy_you]", "Yes, by phone.", "",
    ].join("\n"),
  );
});

test("her copy says what her counselor recorded about her and on which day, the match's state, and her notices", () => {
  // Found by review 5b: the threads API gave the decision and the state, and the copy left
  // them out, with her notices.
  const threads = [
    {
      joinedAt: "2026-11-10T09:00:00Z",
      groupState: "closed",
      decision: "act_alone",
      decidedAt: "2026-11-20T15:00:00Z",
      messages: [{ createdAt: "2026-11-10T09:30:00Z", fromCounselor: true, text: "May I call you?" }],
    },
    { joinedAt: "2026-11-30T09:00:00Z", groupState: "open", decision: "withdrew", decidedAt: "2026-12-01T08:00:00Z", messages: [] },
  ];
  const notices = [
    { createdAt: "2026-11-21T10:00:00Z", kind: "closed" },
    { createdAt: "2026-11-10T09:00:00Z", kind: "match" },
    { createdAt: "2026-11-10T09:30:00Z", kind: "message" },
  ];
  const text = copyText({ entries: [], notices, threads }, options);
  assert.equal(
    text,
    [
      "[copy_title 2026-12-05]", "[copy_note]", "",
      "[copy_notices]",
      "2026-11-10 · [notice_match]",
      "2026-11-10 · [notice_message]",
      "2026-11-21 · [notice_closed]", "",
      "[copy_thread 2026-11-10]", "[state_closed]", "[copy_decided 2026-11-20 [decision_act_alone]]", "",
      "2026-11-10 · [copy_counselor]", "May I call you?", "",
      "[copy_thread 2026-11-30]", "[state_open]", "[copy_decided 2026-12-01 [decision_withdrew]]", "",
    ].join("\n"),
  );
});
