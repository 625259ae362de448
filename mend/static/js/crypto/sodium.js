// The one module that loads libsodium, for the browser and for node tests alike.
//
// It imports the bare specifier "libsodium-wrappers-sumo" (whose ESM build in turn imports
// "libsodium-sumo"). Node resolves both from node_modules. A browser page resolves them
// through an import map that points at our own origin, for example:
//   <script type="importmap" nonce="…">{"imports": {
//     "libsodium-wrappers-sumo": "/static/vendor/libsodium/libsodium-wrappers.mjs",
//     "libsodium-sumo": "/static/vendor/libsodium/libsodium-sumo.mjs"}}</script>
// The ESM build carries its WebAssembly inline and instantiates it with
// WebAssembly.instantiate: the page's CSP needs 'wasm-unsafe-eval', never 'unsafe-eval'
// (there is no asm.js or eval fallback in this build).
//
// Top-level await: every importer gets a ready library and can call it synchronously.
import sodium from "libsodium-wrappers-sumo";

await sodium.ready;

export default sodium;
