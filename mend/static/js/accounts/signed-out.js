// The signed-out page wipes any key left in this tab, exactly as the quick exit does.
import { run } from "../lib/page.js";
import { wipeKeyMaterial } from "../quick-exit.js";

run(wipeKeyMaterial);
