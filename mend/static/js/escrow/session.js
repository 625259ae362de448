// Every signed-in page of the escrow and the counselor workspace: the vault's idle time-out
// (wipe the keys, end the session) and keep-alive, exactly as on the vault's own pages
// (static/js/lib/session.js). It needs no key, so it does not ask other tabs for one.
import { run } from "../lib/page.js";
import { installSession } from "../lib/session.js";

run(installSession);
