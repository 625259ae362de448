// Client-side cryptography costs in a real browser, loaded exactly as Mend's pages load them
// (import map to our own origin, CSP with 'wasm-unsafe-eval' and no 'unsafe-eval').
// bench/crypto.py serves this page, reads the results it writes and prints the figures.
function show(qa, text) {
  const out = document.createElement("pre");
  out.dataset.qa = qa;
  out.textContent = text;
  document.body.append(out);
}

const started = performance.now();
const {
  blind,
  blindEvaluateVerifiable,
  deriveKeyPair,
  finalize,
  finalizeVerifiable,
  blindEvaluate,
  Mode,
} = await import("/static/js/crypto/oprf.js");
const kdf = await import("/static/js/crypto/kdf.js");
const { utf8 } = await import("/static/js/crypto/bytes.js");
const loadMs = performance.now() - started;

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

function time(fn, runs) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  return median(samples);
}

const input = utf8("mend-escrow-v1|email:someone@example.org");
const server = deriveKeyPair(new Uint8Array(32).fill(7), utf8("bench key"), Mode.VOPRF);

// One batch of n client rounds; the server's part runs between the two timed loops, so only
// what the browser does is measured. performance.now() is coarse (0.1 ms) in browsers, hence
// batches rather than single calls.
function clientBatch(mode, n) {
  const t0 = performance.now();
  const blinds = Array.from({ length: n }, () => blind(input, mode));
  const t1 = performance.now();
  const answers = blinds.map((b) =>
    mode === Mode.VOPRF
      ? blindEvaluateVerifiable(server.secretKey, server.publicKey, [b.blindedElement])
      : blindEvaluate(server.secretKey, b.blindedElement),
  );
  const t2 = performance.now();
  blinds.forEach((b, i) =>
    mode === Mode.VOPRF
      ? finalizeVerifiable([input], [b], answers[i], server.publicKey)
      : finalize(input, b.blind, answers[i]),
  );
  const t3 = performance.now();
  return { round: (t1 - t0 + t3 - t2) / n, blind: (t1 - t0) / n };
}

function clientMedian(mode, n = 50, runs = 7) {
  clientBatch(mode, 10); // warm up the JIT and the wasm tiers
  const batches = Array.from({ length: runs }, () => clientBatch(mode, n));
  return { round: median(batches.map((b) => b.round)), blind: median(batches.map((b) => b.blind)) };
}

const voprf = clientMedian(Mode.VOPRF);
const plain = clientMedian(Mode.OPRF);
const params = kdf.newParams(); // production cost: 3 passes over 64 MiB
const results = {
  userAgent: navigator.userAgent,
  libsodiumLoadMs: loadMs,
  voprfBlindFinalizeMs: voprf.round,
  oprfBlindFinalizeMs: plain.round,
  blindMs: voprf.blind,
  argon2id: { opslimit: params.opslimit, memlimitMiB: params.memlimit / 1024 / 1024 },
  argon2idMs: time(() => kdf.argon2id("correct horse battery staple", params), 5),
  vaultKeysMs: time(() => kdf.deriveVaultKeys("correct horse battery staple", params), 3),
};
// Read as text by bench/crypto.py: Playwright's evaluate() would need 'unsafe-eval'.
show("results", JSON.stringify(results));
document.getElementById("status").textContent = "done";
