// What survivors and counselors read, from what the protocol keeps.
import { test } from "node:test";
import assert from "node:assert/strict";
import { entryLabels, readable } from "../../mend/static/js/escrow/readable.js";

const t = (key, values = {}) =>
  ({ kind_email: "Email address", kind_phone: "Phone number", entry_of: `Survivor ${values.member}, entry ${values.n}` })[key];

test("an identifier reads as a person would write it", () => {
  assert.equal(readable("social:instagram:mark.ruffle_", t), "Instagram: @mark.ruffle_");
  assert.equal(readable("social:x:someone", t), "X (Twitter): @someone");
  assert.equal(readable("email:tom.smith@gmail.com", t), "Email address: tom.smith@gmail.com");
  assert.equal(readable("phone:+14155550134", t), "Phone number: +14155550134");
  assert.equal(readable("unknown:thing", t), "unknown:thing");
});

test("entries are labelled by survivor, in the survivors' own numbering", () => {
  const group = {
    members: [{ id: "m-b" }, { id: "m-a" }],
    entries: [
      { id: "e1", member_id: "m-a" },
      { id: "e2", member_id: "m-b" },
      { id: "e3", member_id: "m-a" },
    ],
  };
  assert.deepEqual(
    [...entryLabels(group, t)],
    [
      ["e1", "Survivor 2, entry 1"],
      ["e2", "Survivor 1, entry 1"],
      ["e3", "Survivor 2, entry 2"],
    ],
  );
});
