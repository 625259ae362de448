// Every signed-in staff or escrow page that holds no vault key: the escrow's pages, the
// counselor workspace, and a facilitator's list of cases and case pages. The vault's idle time-out
// (wipe the keys, end the session) and keep-alive, exactly as on the vault's own pages
// (session.js). It needs no key, so it does not ask other tabs for one.
import { run } from "./page.js";
import { installSession } from "./session.js";

run(installSession);
