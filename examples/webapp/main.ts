// `npm run example:webapp`: the example single-page app on http://localhost:4597/webapp, for the
// Gatehouse at GATEHOUSE_URL (default http://localhost:8080). Settings: examples/webapp/README.md.
import { runExample } from '../shared/run.ts';
import { startWebappExample } from './server.ts';

await runExample({ kind: 'webapp', name: 'web app', path: '/webapp', button: 'Connect to Gatehouse', start: startWebappExample });
