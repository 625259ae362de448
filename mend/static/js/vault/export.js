// The export page: the links do the work (the locked copy is a plain download); this
// module only keeps the session's idle time-out and log-out behaviour.
import { run } from "../lib/page.js";
import { installSession, requireVaultKey } from "../lib/session.js";

async function main() {
  if (await requireVaultKey()) installSession();
}

run(main);
