// What start-up says when GATEHOUSE_CIMD_ALLOW_LOOPBACK is on: loud, because a server that
// fetches client documents from loopback lets any client_id reach services on its own machine.

export const CIMD_LOOPBACK_WARNING =
  'CLIENT ID METADATA DOCUMENTS MAY BE FETCHED FROM LOOPBACK (GATEHOUSE_CIMD_ALLOW_LOOPBACK=true): http://localhost and http://127.0.0.1 client ids are accepted, and any client_id can make this server send requests to services on its own machine. Use this for development only.';
