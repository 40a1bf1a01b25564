export const ROLES = ["agent", "manager", "admin"] as const;
export type Role = (typeof ROLES)[number];

const RANK: Record<Role, number> = { agent: 0, manager: 1, admin: 2 };

/** Roles are ordered: a manager can do what an agent can, an admin what a manager can. */
export function hasRole(role: Role, atLeast: Role): boolean {
  return RANK[role] >= RANK[atLeast];
}
