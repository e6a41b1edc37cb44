// Every esbuild build of the webview reads .svg files as text (loader ".svg": "text").
declare module '*.svg' {
  const text: string;
  export default text;
}
