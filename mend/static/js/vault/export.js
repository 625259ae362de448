// The export page: the links do the work (the locked copy is a plain download); this
// module only keeps the session's idle time-out and log-out behaviour.
import { installSession, requireVaultKey } from "./session.js";

if (requireVaultKey()) installSession();
