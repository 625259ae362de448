// Opening a case of 500 messages as the facilitator's browser does (bench/dialogue.py serves
// this page with Mend's CSP, and reads the results it writes): verify each author's
// signature, open the sealed content key, check its commitment, decrypt.
function show(qa, text) {
  const out = document.createElement("pre");
  out.dataset.qa = qa;
  out.textContent = text;
  document.body.append(out);
}

const loadStart = performance.now();
const dialogue = await import("/static/js/crypto/dialogue.js");
const { fromHex } = await import("/static/js/crypto/bytes.js");
const loadMs = performance.now() - loadStart;

const data = await (await fetch("/bench/dialogue_items.json")).json();
const bytes = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
const keypair = { publicKey: fromHex(data.box_public_key), secretKey: fromHex(data.box_secret_key) };
const me = data.case.me;
const authors = new Map(data.case.parties.map((p) => [p.id, bytes(p.signing_public_key)]));

const start = performance.now();
let opened = 0;
for (const item of data.items) {
  const ref = dialogue.itemRef(data.case.id, item.id, item.author, item.kind, item.revision);
  const sealed = {
    body: bytes(item.body),
    signature: bytes(item.signature),
    commitment: bytes(item.commitment),
    readerKeys: new Map([[me, bytes(item.sealed_key)]]),
  };
  dialogue.openItem(ref, sealed, keypair, me, authors.get(item.author));
  opened += 1;
}
const openMs = performance.now() - start;
document.getElementById("status").textContent = "done";
show("results", JSON.stringify({ opened, openMs, loadMs }));
