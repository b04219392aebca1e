// `npm run example:mcp-server`: the notes MCP server on http://localhost:4599/mcp, for the
// Gatehouse at GATEHOUSE_URL (default http://localhost:8080). Register it first
// (examples/mcp-server/README.md):
//   npx gatehouse resources create --identifier http://localhost:4599/mcp --name "Notes (MCP)" \
//     --scope "mcp:tools=Search and read your notes through an AI assistant" --scope "mcp:write=Add notes through an AI assistant"
// and give the printed credentials as MCP_SERVER_CLIENT_ID and MCP_SERVER_CLIENT_SECRET.
import { startMcpServer } from './server.ts';
import { SCOPE_DESCRIPTIONS } from './tools.ts';

const env = process.env;
const port = Number(env.MCP_SERVER_PORT ?? 4599);
const gatehouseUrl = (env.GATEHOUSE_URL ?? 'http://localhost:8080').replace(/\/$/, '');
const identifier = env.MCP_SERVER_IDENTIFIER ?? `http://localhost:${port}/mcp`;
const clientId = env.MCP_SERVER_CLIENT_ID;
const clientSecret = env.MCP_SERVER_CLIENT_SECRET;
const scopeFlags = Object.entries(SCOPE_DESCRIPTIONS)
  .map(([name, description]) => `--scope "${name}=${description}"`)
  .join(' ');

if (!clientId || !clientSecret || !Number.isInteger(port)) {
  console.error(
    [
      'Cannot start the MCP server: it needs its credentials from Gatehouse.',
      `Register it:  npx gatehouse resources create --identifier ${identifier} --name "Notes (MCP)" ${scopeFlags}`,
      'then:         MCP_SERVER_CLIENT_ID=rs_… MCP_SERVER_CLIENT_SECRET=… npm run example:mcp-server',
    ].join('\n'),
  );
  process.exit(1);
}

try {
  const mcp = await startMcpServer({ gatehouseUrl, identifier, clientId, clientSecret, port });
  console.log(
    [
      `MCP server listening on ${identifier} (resource ${identifier}, tokens from ${gatehouseUrl})`,
      `  metadata   ${mcp.verifier.resourceMetadataUrl}`,
      `  tools      search_notes (mcp:tools), add_note (mcp:tools mcp:write)`,
      '  connect an MCP client to that URL: docs/mcp.md',
      'Ctrl+C stops it.',
    ].join('\n'),
  );
  const stop = () => void mcp.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  const inUse = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
  console.error(`Cannot start the MCP server: ${inUse ? `port ${port} is taken (MCP_SERVER_PORT picks another)` : (error as Error).message}`);
  process.exit(1);
}
