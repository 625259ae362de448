// Every signed-in staff or escrow page that keeps no unsaved words: the escrow's pages but
// the entry and message pages (entry.js and thread.js run the clock themselves, to lock her
// words first), the counselor workspace, and a facilitator's list of cases and case pages. The vault's idle time-out
// (wipe the keys, end the session) and keep-alive, exactly as on the vault's own pages
// (session.js). It needs no key, so it does not ask other tabs for one.
import { run } from "./page.js";
import { installSession } from "./session.js";

run(installSession);
