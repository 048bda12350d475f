/** Stylesheets are imported for their side effect and bundled by esbuild (web/build.ts). */
declare module '*.css';
