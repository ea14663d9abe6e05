/** The page served at /: what this is, where the endpoint is, how to authenticate, and a first query to paste. */
export function landingPage(graphqlUrl: string): string {
  const example = `{ me { keyId role } stats { transactions addresses chains { chain blocks fees { value unit formatted } } } }`;
  const screen = `{ screen(addresses: ["btc:bc1q3kdhwh2se3jf9rgz5arxfrmtu70z8ed2u4876h"], direction: IN) { distance decision paths { addresses } } }`;
  const sandbox = `https://studio.apollographql.com/sandbox/explorer?endpoint=${encodeURIComponent(graphqlUrl)}`;
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
  const curl = (query: string) => `curl -s ${esc(graphqlUrl)} -H 'content-type: application/json' \\
  -H "authorization: Bearer $ARIADNE_KEY" \\
  -d '${esc(JSON.stringify({ query }))}'`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Ariadne</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:50rem;margin:3rem auto;padding:0 1rem;color:#222}code,pre{background:#f4f4f4;padding:.1rem .3rem;border-radius:4px}pre{padding:1rem;overflow:auto}</style>
</head><body>
<h1>Ariadne</h1>
<p>Fund-flow tracing and sanctions screening over an address/transaction graph.</p>
<p>GraphQL endpoint: <code>${esc(graphqlUrl)}</code></p>
<h2>1. Your API key</h2>
<p>Every request carries an API key: <code>Authorization: Bearer ariadne_...</code> (or <code>x-api-key</code>).
The first <code>npm start</code> printed an admin <em>development key</em> on its standard output; only its hash
is stored, so keep it. Create more keys, one per role (screening, investigator, compliance, admin), with the
<code>createApiKey</code> mutation.</p>
<h2>2. Try it</h2>
<p><a href="${esc(sandbox)}">Open the endpoint in Apollo Sandbox</a> (needs internet access; set the
<code>Authorization</code> header in its connection settings), or use curl:</p>
<pre>export ARIADNE_KEY=ariadne_...   # the development key
${curl(example)}</pre>
<p>Screen the demo customer's wallet (2 hops from the demo's sanctioned address):</p>
<pre>${curl(screen)}</pre>
<p>More: <code>docs/examples.graphql</code> (every example runs as a test), <code>docs/api.md</code> (roles,
limits, errors, paging) and <code>schema.graphql</code> in the repository. Health: <a href="/healthz">/healthz</a>.</p>
</body></html>`;
}
