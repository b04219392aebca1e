// A signed-in browser session; its id is stored only as a hash.

export interface Session {
  idHash: string;
  tenantId: number;
  userId: number;
  createdAt: Date;
  expiresAt: Date;
}

