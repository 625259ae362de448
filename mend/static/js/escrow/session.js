// Every survivor page of the escrow: the vault's idle time-out (wipe the keys, end the
// session) and keep-alive, exactly as on the vault's own pages (static/js/vault/session.js).
import { installSession } from "../vault/session.js";

installSession();
