// `npm run example:webservice`: the example backend app on http://localhost:4597, for the Gatehouse
// at GATEHOUSE_URL (default http://localhost:8080). Settings: examples/webservice/README.md.
import { runExample } from '../shared/run.ts';
import { startWebserviceExample } from './server.ts';

await runExample({ kind: 'webservice', name: 'web service', path: '/', button: 'Connect with Gatehouse', start: (settings) => startWebserviceExample(settings) });
