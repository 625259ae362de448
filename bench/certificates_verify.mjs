// Verifying certificates with the browser's module (static/js/crypto/certificates.js) in node,
// one thread: prints {"per_second": N, "count": N}. Called by bench/certificates.py.
import { verifyCertificate } from "../mend/static/js/crypto/certificates.js";
import { fromHex } from "../mend/static/js/crypto/bytes.js";

const [compact, keyHex, seconds] = process.argv.slice(2);
const key = fromHex(keyHex, 32);
for (let i = 0; i < 200; i++) verifyCertificate(compact, key); // warm up the JIT and the WASM
let count = 0;
const start = performance.now();
const end = start + Number(seconds) * 1000;
while (performance.now() < end) {
  for (let i = 0; i < 100; i++) verifyCertificate(compact, key);
  count += 100;
}
const elapsed = (performance.now() - start) / 1000;
console.log(JSON.stringify({ per_second: count / elapsed, count }));
