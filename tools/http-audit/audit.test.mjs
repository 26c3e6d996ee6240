// The GraphQL-over-HTTP audit of graphql-http (serverAudits, pinned in
// package.json) against a running vetgraph: VETGRAPH_URL names the server
// (e.g. http://127.0.0.1:8080). Every audit is one test. A MUST audit that
// fails is an error and a SHOULD audit a warning: both fail the test. A MAY
// audit that fails is a notice, which the spec leaves to the server: it is
// reported (as a diagnostic) and passes.
//
//   VETGRAPH_URL=http://127.0.0.1:8080 node --test --test-reporter=spec tools/http-audit/
import { test } from 'node:test';
import { serverAudits } from 'graphql-http';

const base = process.env.VETGRAPH_URL;
if (!base) {
  throw new Error('set VETGRAPH_URL to the vetgraph server to audit, e.g. http://127.0.0.1:8080');
}
const url = new URL('/graphql', base).toString();

// One audit at a time (not serverAudits' Promise.all): a failure names its
// own request, and the audit stays within any per-client rate limit burst.
for (const a of serverAudits({ url })) {
  test(`${a.id} ${a.name}`, async (t) => {
    const r = await a.fn();
    if (r.status === 'ok') return;
    let body = '';
    try {
      body = (await r.response.text()).slice(0, 300);
    } catch {
      // the audit read it already
    }
    const what = `${r.status}: ${r.reason} (HTTP ${r.response.status} ${r.response.headers.get('content-type')}) ${body}`;
    if (r.status === 'notice') {
      t.diagnostic(`notice (MAY, not required): ${what}`);
      return;
    }
    throw new Error(what);
  });
}
