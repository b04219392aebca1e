import { runResourceBench } from './bench/resources/run.ts';
import { parseOptions } from './bench/options.ts';
const o = { ...parseOptions(['--duration', '5', '--warmup', '5', '--runs', '3', '--connections', '16']), resources: true };
console.log(JSON.stringify(await runResourceBench(o, (l) => console.error(l)), null, 2));
