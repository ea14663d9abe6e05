/** The page served at /: what this is, where the endpoint is, and a first query to paste. */
export function landingPage(graphqlUrl: string): string {
  const example = `{ stats { transactions addresses chains { chain blocks fees { value asset formatted } } } }`;
  const sandbox = `https://studio.apollographql.com/sandbox/explorer?endpoint=${encodeURIComponent(graphqlUrl)}`;
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Ariadne</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:3rem auto;padding:0 1rem;color:#222}code,pre{background:#f4f4f4;padding:.1rem .3rem;border-radius:4px}pre{padding:1rem;overflow:auto}</style>
</head><body>
<h1>Ariadne</h1>
<p>Fund-flow tracing and sanctions screening over an address/transaction graph.</p>
<p>GraphQL endpoint: <code>${esc(graphqlUrl)}</code></p>
<p><a href="${esc(sandbox)}">Open it in Apollo Sandbox</a> (needs internet access), or try it with curl:</p>
<pre>curl -s ${esc(graphqlUrl)} -H 'content-type: application/json' \\
  -d '${esc(JSON.stringify({ query: example }))}'</pre>
<p>Health: <a href="/healthz">/healthz</a>. Docs: README.md and docs/ in the repository.</p>
</body></html>`;
}
