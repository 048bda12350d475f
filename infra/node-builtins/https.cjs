// node:https for the functions' ESM bundles, as CommonJS: see infra/bundle-aliases.ts.
module.exports = process.getBuiltinModule('node:https');
