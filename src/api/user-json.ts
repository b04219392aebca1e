// ilert's User object, as /api/users/current answers it.
import type { User } from '../domain/identity.ts';

export function userJson(user: User) {
  return {
    id: user.id,
    username: user.username,
    firstName: user.firstName,
    lastName: user.lastName,
    email: user.email,
    timezone: user.timezone,
    position: user.position,
    department: user.department,
    avatarUrl: user.avatarUrl,
    language: user.language,
    region: user.region,
    role: user.role,
    shiftColor: user.shiftColor,
    mutedUntil: user.mutedUntil?.toISOString() ?? null,
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
  };
}
